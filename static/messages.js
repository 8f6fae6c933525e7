// The staff thread page (views/pages/staff/messages/messages-page.tsx): choosing a quick reply
// inserts its saved text into the message box at the cursor (the text travels in the option's
// data-text, escaped by the server; it is set as a value, never as HTML).
if (!window.clinicboxMessages) {
  window.clinicboxMessages = true;
  document.addEventListener('change', (event) => {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.dataset.quickReplyFor) return;
    const option = select.selectedOptions[0];
    const box = document.getElementById(select.dataset.quickReplyFor);
    if (!option?.dataset.text || !(box instanceof HTMLTextAreaElement)) return;
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? box.value.length;
    box.setRangeText(option.dataset.text, start, end, 'end');
    select.value = '';
    box.focus();
  });
}
