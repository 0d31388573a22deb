// Show the contract length only for contracts, and on a new job follow the chosen level's band
// until the salary fields are edited by hand.
(function () {
  const form = document.getElementById('job-form');
  if (!form) return;
  const type = form.querySelector('#employment_type');
  const months = document.getElementById('contract-months');
  const syncType = () => { months.hidden = type.value !== 'contract'; };
  type.addEventListener('change', syncType);
  syncType();
  const level = form.querySelector('#level_id');
  const fields = ['salary_min', 'salary_max', 'salary_currency'].map((id) => form.querySelector('#' + id));
  const hint = document.getElementById('band-hint');
  const follow = form.hasAttribute('data-follow-band');
  const amount = (value) => (value ? Number(value).toLocaleString('en') : '…');
  let last = fields.map((f) => f.value);
  level.addEventListener('change', () => {
    const o = level.selectedOptions[0];
    const band = [o.dataset.salaryMin, o.dataset.salaryMax, o.dataset.currency];
    hint.textContent = band[0] || band[1]
      ? `${o.text} band: ${amount(band[0])}–${amount(band[1])} ${band[2]}.` : `${o.text} has no salary band.`;
    if (!follow) return;
    const untouched = fields.every((f, i) => f.value === last[i]);
    if (untouched) { fields.forEach((f, i) => { if (band[i]) f.value = band[i]; }); last = fields.map((f) => f.value); }
  });
}());
