// The candidate's email on the move and decision forms: it follows the reason (and, on the
// decision form, the outcome) chosen, fetched from the preview address; the edit fields show
// only when "Edit" is chosen (in place of the rendered copy) and are refilled until the
// manager types in them. Without this script the fields stay open and the "Preview email"
// button asks the server instead.
(function () {
  const section = document.getElementById('candidate-email');
  const edit = document.getElementById('candidate-email-edit');
  if (!section || !edit) return;
  const form = section.closest('form');
  const subject = document.getElementById('candidate-email-subject');
  const body = document.getElementById('candidate-email-body');
  const preview = document.getElementById('candidate-email-preview');
  const fields = [form.elements.email_subject, form.elements.email_body];
  const outcomes = form.querySelectorAll('input[name="outcome"]');
  let edited = false;
  fields.forEach((field) => field.addEventListener('input', () => { edited = true; }));
  form.querySelectorAll('[data-js-hide]').forEach((element) => element.classList.add('d-none'));

  function previewUrl() {
    if (!outcomes.length) return section.dataset.previewUrl || '';
    const chosen = form.querySelector('input[name="outcome"]:checked');
    return chosen ? chosen.dataset.emailUrl || '' : '';
  }
  let rendered = !preview.classList.contains('d-none');
  // While editing, the fields are the email: the rendered copy above them would repeat it.
  function showEdit() {
    const action = form.querySelector('input[name="email_action"]:checked');
    const editing = Boolean(action) && action.value === 'edit';
    edit.classList.toggle('d-none', !editing);
    preview.classList.toggle('d-none', editing || !rendered);
  }
  function refresh() {
    const url = previewUrl();
    section.classList.toggle('d-none', !url);
    if (!url) return;
    const reason = form.elements.reason ? form.elements.reason.value : '';
    const query = reason ? `?reason=${encodeURIComponent(reason)}` : '';
    fetch(url + query, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((email) => {
        subject.textContent = email.subject;
        body.textContent = email.body;
        rendered = true;
        showEdit();
        if (!edited) {
          fields[0].value = email.subject;
          fields[1].value = email.body;
        }
      })
      .catch(() => {});
  }
  form.addEventListener('change', (event) => {
    if (event.target.name === 'email_action') showEdit();
    if (event.target.name === 'reason' || event.target.name === 'outcome') refresh();
  });
  showEdit();
  if (outcomes.length) refresh();
}());
