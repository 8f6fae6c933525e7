/*
 * The calendar's side panel and the keyboard (issue 15, items 1, 5 and 10).
 *
 * When htmx puts something into the panel (a free time's booking form, an appointment, the answer
 * to a change), focus moves into it unless it already is there (an autofocused field): to an error
 * if the change was refused, else to what was done, else to its heading. So Enter on a free time leads straight to the form, and on a phone, where
 * the panel sits below the grid, the page scrolls to it. Escape closes the panel and puts focus
 * back on the free time or appointment that opened it (found again if the grid was reloaded).
 */
(() => {
  const panel = () => document.getElementById('panel');
  /** What opened the panel: a block's id, or a free time's href (free times have no id). */
  let opener = null;

  document.addEventListener(
    'click',
    (event) => {
      const link = event.target.closest?.('table.calendar a[hx-get]');
      if (link) opener = link.id ? { id: link.id } : { href: link.getAttribute('href') };
    },
    true,
  );

  document.addEventListener('htmx:after:swap', (event) => {
    const box = panel();
    const target = event.detail?.ctx?.target;
    if (!box || (target !== box && !(target instanceof Element && target.matches?.('#panel')))) return;
    // Focus already inside (a field the answer autofocused, or kept by htmx): leave it there.
    if (box.contains(document.activeElement)) return;
    const to =
      box.querySelector('[role=alert]') ?? box.querySelector('[role=status]') ?? box.querySelector('h2');
    if (!to) return;
    if (!to.hasAttribute('tabindex')) to.setAttribute('tabindex', '-1');
    to.focus();
  });

  function openerElement(box) {
    if (opener?.id) return document.getElementById(opener.id);
    if (opener?.href) return document.querySelector(`table.calendar a[href="${CSS.escape(opener.href)}"]`);
    // Opened with the page (a link from elsewhere): the appointment's block, if on screen.
    const shown = box.querySelector('[data-appointment]')?.dataset.appointment;
    return shown ? document.getElementById(`appt-${shown}`) : null;
  }

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    const box = panel();
    if (!box?.contains(document.activeElement) || !box.querySelector('h2')) return;
    const back = openerElement(box) ?? document.querySelector('main h1');
    const hint = document.createElement('p');
    hint.className = 'muted';
    hint.textContent = 'Choose an appointment or a free time.';
    box.replaceChildren(hint);
    opener = null;
    if (back) {
      if (!back.matches('a, button, input, select, textarea, [tabindex]'))
        back.setAttribute('tabindex', '-1');
      back.focus();
    }
  });
})();
