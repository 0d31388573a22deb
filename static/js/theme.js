// Light or dark: the choice made in the user menu (kept in this browser), else the system's
// preference, followed live. Loaded in <head>, before the page is drawn, so it never flashes.
// Without JavaScript the pages stay light (Bootstrap's dark colours need data-bs-theme).
(function () {
  const KEY = 'interviewer-theme';
  const root = document.documentElement;
  const system = window.matchMedia('(prefers-color-scheme: dark)');
  let choice = 'auto';
  try {
    const kept = localStorage.getItem(KEY);
    if (kept === 'light' || kept === 'dark') choice = kept;
  } catch (error) { /* storage refused (private mode): follow the system */ }

  function apply() {
    const theme = choice === 'auto' ? (system.matches ? 'dark' : 'light') : choice;
    root.setAttribute('data-bs-theme', theme);
    document.querySelectorAll('[data-theme-choice]').forEach((button) => {
      const chosen = button.dataset.themeChoice === choice;
      button.classList.toggle('active', chosen);
      button.setAttribute('aria-pressed', chosen ? 'true' : 'false');
    });
  }

  function choose(value) {
    choice = value;
    try {
      if (value === 'auto') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, value);
    } catch (error) { /* not kept, but applied to this page */ }
    apply();
  }

  apply();
  system.addEventListener('change', apply);
  // Another tab changed the choice.
  window.addEventListener('storage', (event) => {
    if (event.key !== KEY) return;
    choice = event.newValue === 'light' || event.newValue === 'dark' ? event.newValue : 'auto';
    apply();
  });
  document.addEventListener('DOMContentLoaded', () => {
    document.querySelectorAll('[data-theme-menu]').forEach((item) => { item.hidden = false; });
    document.querySelectorAll('[data-theme-choice]').forEach((button) => {
      button.addEventListener('click', (event) => {
        event.stopPropagation(); // the menu stays open, to see the change
        choose(button.dataset.themeChoice);
      });
    });
    apply();
  });
}());
