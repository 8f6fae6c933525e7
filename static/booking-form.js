// The calendar's booking form (views/pages/staff/booking-form.tsx). Loaded with each form; the
// listeners are on the document, so once is enough.
// - Enter in the patient search box does not submit: it would book whoever the results held.
// - "Patient: …" above Book says who is chosen (name and date of birth), or that none is yet.
// - The reason field shows only for a service that asks for one.
if (!window.clinicboxBookingForm) {
  window.clinicboxBookingForm = true;

  const formOf = (el) => el instanceof Element && el.closest('form[data-booking-form]');

  const refresh = (form) => {
    const summary = form.querySelector('[data-booking-for]');
    if (summary) {
      const chosen = form.querySelector('input[name="patientId"]:checked');
      const typed = ['firstName', 'lastName']
        .map((name) => form.elements.namedItem(name)?.value.trim() ?? '')
        .filter(Boolean)
        .join(' ');
      const born = form.elements.namedItem('dateOfBirth')?.value.trim();
      // Once a patient is chosen, "choose one" no longer applies.
      if (chosen) {
        form.querySelector('#patient-search-error')?.remove();
        form.querySelector('#patient-search')?.removeAttribute('aria-invalid');
      }
      summary.textContent = chosen
        ? `Patient: ${chosen.dataset.summary}`
        : typed
          ? `New patient: ${typed}${born ? `, born ${born}` : ''}`
          : 'No patient chosen yet: find one above and choose them, or add a new one.';
    }
    const service = form.elements.namedItem('serviceId');
    const reason = form.querySelector('[data-reason-field]');
    if (service && reason) {
      reason.hidden = !service.selectedOptions[0]?.hasAttribute('data-ask-reason');
    }
  };

  document.addEventListener('keydown', (event) => {
    if (
      event.key === 'Enter' &&
      event.target instanceof Element &&
      event.target.matches('[data-patient-search]')
    ) {
      event.preventDefault();
    }
  });
  for (const type of ['change', 'input']) {
    document.addEventListener(type, (event) => {
      const form = formOf(event.target);
      if (!form) return;
      // Remembered, so results that arrive after the choice (typing outran the search) keep it.
      if (event.target.matches?.('input[name="patientId"]:checked')) form.dataset.chosen = event.target.value;
      refresh(form);
    });
  }
  // A form already on the page (a full page, or a choice made before this file arrived).
  for (const form of document.querySelectorAll('form[data-booking-form]')) refresh(form);

  // New search results replace the choices: whoever was chosen stays chosen if they are among
  // them (the results of the last letters typed arrived after the click), else no one is.
  // A refused form comes back with its first wrong field marked autofocus: focus goes there, after
  // whatever else moved it into the panel (calendar-panel.js focuses the panel's heading).
  document.addEventListener('htmx:after:swap', (event) => {
    const form = formOf(event.target) || event.target?.querySelector?.('form[data-booking-form]');
    if (!form) return;
    const kept = [...form.querySelectorAll('input[name="patientId"]')].find(
      (r) => r.value === form.dataset.chosen,
    );
    if (kept && !form.querySelector('input[name="patientId"]:checked')) kept.checked = true;
    if (!kept) delete form.dataset.chosen;
    refresh(form);
    const wrong = form.querySelector('[autofocus]');
    if (!wrong || !form.querySelector('[aria-invalid="true"]')) return;
    setTimeout(() => {
      // The whole field in view: its label, the input and the message under it.
      wrong.focus({ preventScroll: true });
      (wrong.closest('.field') ?? wrong).scrollIntoView({ block: 'center' });
    });
  });
}
