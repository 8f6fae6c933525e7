// A draft note saves itself: its form posts on every change (htmx, hx-sync "this:queue last").
// A change made while a save is in flight waits for it — the newest waiting save replaces an older
// one and carries the whole form as it was at that change, so nothing typed is dropped. htmx read
// that save's body and target when the change happened; just before it is sent, it takes the
// version the save before it answered (else this tab's own save would be refused as "changed
// elsewhere") and the status line that answer put in place (the old one is gone, and htmx does not
// swap into a removed element). A save from another tab still refuses it, as it must.
let saving = 0;
let lastChange = 0;
const autosaveOf = (event) => event.detail.ctx?.sourceElement?.closest?.('form[data-autosave]');
document.addEventListener('htmx:before:request', (event) => {
  const ctx = event.detail.ctx;
  const form = autosaveOf(event);
  if (form) saving += 1;
  const status = document.getElementById('note-status');
  if (!form || !status || !(ctx.request.body instanceof URLSearchParams)) return;
  const version = status.querySelector('input[name=version]');
  if (version) ctx.request.body.set('version', version.value);
  ctx.target = status;
});

document.addEventListener('htmx:finally:request', (event) => {
  if (autosaveOf(event)) saving = Math.max(0, saving - 1);
});
document.addEventListener(
  'change',
  (event) => {
    if (event.target.closest?.('form[data-autosave]')) lastChange = Date.now();
  },
  true,
);

// "Sign…", "Copy forward" or "Save" clicked straight after typing: leaving the field starts a save
// (a change), and the click would post the version that save is about to replace — refused as
// "changed elsewhere". The click waits until the saves are done (at most 10 s), then goes with the
// version they answered.
document.addEventListener(
  'submit',
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('form[data-autosave]')) return;
    const busy = () => saving > 0 || Date.now() - lastChange < 150;
    if (form.dataset.waited === '1' || !busy()) return;
    event.preventDefault();
    const submitter = event.submitter;
    const started = Date.now();
    const go = () => {
      if (busy() && Date.now() - started < 10_000) setTimeout(go, 50);
      else {
        form.dataset.waited = '1'; // this submit goes, whatever happens meanwhile
        form.requestSubmit(submitter);
      }
    };
    setTimeout(go, 50);
  },
  true,
);

// The patient's previous note beside a draft: folded on a phone (opened by tapping its summary),
// open where the screen has room for it beside the form.
if (window.matchMedia('(min-width: 60rem)').matches) {
  for (const previous of document.querySelectorAll('details[data-open-wide]')) previous.open = true;
}
