// The debrief's summary band: "Record decision" opens the decision form in a dialog over the
// evidence (without scripts the link jumps to the form at the foot of the page), and
// "Print summary" prints with every skill's evidence open.
(function () {
  const opener = document.querySelector('[data-decision-open]');
  const form = document.getElementById('decision-form');
  if (opener && form && typeof HTMLDialogElement === 'function') {
    const home = form.parentNode;
    const marker = document.createComment('decision form');
    home.insertBefore(marker, form);
    const dialog = document.createElement('dialog');
    dialog.className = 'decision-dialog';
    dialog.setAttribute('aria-labelledby', 'decision-dialog-title');
    dialog.innerHTML = '<div class="d-flex align-items-center justify-content-between mb-2">'
      + '<h2 class="h5 mb-0" id="decision-dialog-title">Record a decision</h2>'
      + '<button type="button" class="btn-close" aria-label="Close" data-close></button></div>';
    document.body.appendChild(dialog);
    dialog.querySelector('[data-close]').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => home.insertBefore(form, marker.nextSibling));
    opener.addEventListener('click', (event) => {
      event.preventDefault();
      dialog.appendChild(form);
      dialog.showModal();
      const first = form.querySelector('input:not([type=hidden]):not(:disabled), textarea, select');
      if (first) first.focus();
    });
  }

  const printer = document.querySelector('[data-print]');
  if (printer) {
    printer.hidden = false;
    printer.addEventListener('click', () => window.print());
  }
  let closed = [];
  window.addEventListener('beforeprint', () => {
    closed = Array.from(document.querySelectorAll('main details:not([open])'));
    closed.forEach((details) => { details.open = true; });
  });
  window.addEventListener('afterprint', () => {
    closed.forEach((details) => { details.open = false; });
    closed = [];
  });
}());
