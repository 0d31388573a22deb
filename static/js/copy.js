// A read-only field selects its whole text when clicked; a "Copy" button (data-copy names the
// field) puts the field's text on the clipboard and says so.
(function () {
  document.querySelectorAll('[data-select-on-click]').forEach((field) => {
    field.addEventListener('click', () => field.select());
  });
  document.querySelectorAll('[data-copy]').forEach((button) => {
    const field = document.querySelector(button.dataset.copy);
    if (!field || !navigator.clipboard) return;
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(field.value).then(
        () => { button.textContent = 'Copied'; },
        () => field.select(), // no clipboard access: the text is selected, to copy by hand
      );
    });
  });
}());
