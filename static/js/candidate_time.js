// The booking pages: beside the time field, the typed start on the candidate's clock, kept
// current as the date, time or zone change ("03:00 on Wed 8 Apr in Sydney, the candidate's
// time."). Without scripts the server's text after a submit stays as it is.
(function () {
  const clock = document.querySelector('.candidate-clock[data-candidate-zone]');
  if (!clock || typeof Intl === 'undefined') return;
  const form = clock.closest('form');
  const dateInput = form.querySelector('input[name="starts_on"]');
  const timeInput = form.querySelector('input[name="start_time"]');
  const zoneSelect = form.querySelector('select[name="timezone"]');
  if (!dateInput || !timeInput || !zoneSelect) return;
  const candidateZone = clock.dataset.candidateZone;
  const place = clock.dataset.candidatePlace;
  const [dayStarts, dayEnds] = (clock.dataset.hours || '08:00-20:00').split('-');
  const duration = Number(clock.dataset.duration || 0) * 60000;

  function parts(instant, timeZone) {
    const format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    const out = {};
    format.formatToParts(instant).forEach((part) => { out[part.type] = part.value; });
    return out;
  }

  // The zone's offset from UTC (ms) at ``instant``.
  function offset(instant, timeZone) {
    const p = parts(instant, timeZone);
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const wall = Date.UTC(Number(p.year), months.indexOf(p.month), Number(p.day), Number(p.hour), Number(p.minute));
    return wall - Math.floor(instant.getTime() / 60000) * 60000;
  }

  // The instant of wall-clock ``date`` ``time`` in ``timeZone`` (as the server reads it).
  function instantOf(date, time, timeZone) {
    const [year, month, day] = date.split('-').map(Number);
    const [hour, minute] = time.split(':').map(Number);
    if ([year, month, day, hour, minute].some(Number.isNaN)) return null;
    const wall = Date.UTC(year, month - 1, day, hour, minute);
    let guess = wall - offset(new Date(wall), timeZone);
    guess = wall - offset(new Date(guess), timeZone);
    return new Date(guess);
  }

  function update() {
    let text = '';
    try {
      const instant = dateInput.value && timeInput.value
        ? instantOf(dateInput.value, timeInput.value, zoneSelect.value) : null;
      if (instant) {
        const p = parts(instant, candidateZone);
        const end = parts(new Date(instant.getTime() + duration), candidateZone);
        const hhmm = `${p.hour}:${p.minute}`;
        const endHhmm = `${end.hour}:${end.minute}`;
        text = `${hhmm} on ${p.weekday} ${p.day} ${p.month} in ${place}, the candidate's time.`;
        if (hhmm < dayStarts || end.day !== p.day || endHhmm > dayEnds) {
          text += ` Outside their ${dayStarts}-${dayEnds}.`;
        }
      }
    } catch (error) {
      text = '';
    }
    clock.textContent = text;
  }

  [dateInput, timeInput, zoneSelect].forEach((input) => {
    input.addEventListener('input', update);
    input.addEventListener('change', update);
  });
  if (dateInput.value && timeInput.value) update();
}());
