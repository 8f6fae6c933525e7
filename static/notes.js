// A draft note saves itself: its form posts on every change (htmx, hx-sync "this:queue last").
// A change made while a save is in flight waits for it — the newest waiting save replaces an older
// one and carries the whole form as it was at that change, so nothing typed is dropped. htmx read
// that save's body and target when the change happened; just before it is sent, it takes the
// version the save before it answered (else this tab's own save would be refused as "changed
// elsewhere") and the status line that answer put in place (the old one is gone, and htmx does not
// swap into a removed element). A save from another tab still refuses it, as it must.
document.addEventListener('htmx:before:request', (event) => {
  const ctx = event.detail.ctx;
  const form = ctx.sourceElement.closest('form[data-autosave]');
  const status = document.getElementById('note-status');
  if (!form || !status || !(ctx.request.body instanceof URLSearchParams)) return;
  const version = status.querySelector('input[name=version]');
  if (version) ctx.request.body.set('version', version.value);
  ctx.target = status;
});

// The patient's previous note beside a draft: folded on a phone (opened by tapping its summary),
// open where the screen has room for it beside the form.
if (window.matchMedia('(min-width: 60rem)').matches) {
  for (const previous of document.querySelectorAll('details[data-open-wide]')) previous.open = true;
}
