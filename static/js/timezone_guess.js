// The apply form's time zone: preselects the browser's own zone when the list has it (the
// page marks the select only before the person has sent the form); without scripts the
// team's zone stays selected.
(function () {
  let guessed;
  try {
    guessed = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!guessed) return;
  document.querySelectorAll('select[data-guess-timezone]').forEach((select) => {
    const option = Array.from(select.options).find((item) => item.value === guessed);
    if (option) select.value = guessed;
  });
}());
