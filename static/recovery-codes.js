// The recovery codes page: copy, download (.txt) and print the codes (no inline script: CSP).
// The buttons stay hidden without this script; the codes are on the page either way.
(() => {
  const list = document.getElementById('recovery-codes');
  const actions = document.querySelector('[data-recovery-actions]');
  const status = document.getElementById('recovery-status');
  if (!list || !actions) return;
  const codes = [...list.querySelectorAll('code')].map((c) => c.textContent.trim());
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const asText = () =>
    [
      'Clinicbox recovery codes',
      `Made ${new Date().toISOString().slice(0, 10)}. Each code signs you in once if you lose your authenticator app.`,
      '',
      ...codes,
      '',
    ].join('\n');

  // The clipboard API is turned off by the site's Permissions-Policy (clipboard-write), so the
  // copy goes through a copy event the page answers itself, which a click may start.
  const copy = () => {
    const onCopy = (event) => {
      event.clipboardData.setData('text/plain', codes.join('\n'));
      event.preventDefault();
    };
    document.addEventListener('copy', onCopy, { once: true });
    const done = document.execCommand('copy');
    document.removeEventListener('copy', onCopy);
    say(
      done
        ? `Copied ${codes.length} codes. Paste them into your password manager.`
        : 'Your browser did not copy them: select the codes and copy them yourself.',
    );
  };

  const download = () => {
    const url = URL.createObjectURL(new Blob([asText()], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'clinicbox-recovery-codes.txt';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    say('Downloaded clinicbox-recovery-codes.txt. Keep it somewhere safe, away from this computer.');
  };

  const print = () => {
    say('');
    window.print();
  };

  const handlers = { copy, download, print };
  actions.addEventListener('click', (event) => {
    const button = event.target.closest('[data-recovery]');
    if (button) handlers[button.dataset.recovery]?.();
  });
  actions.hidden = false;
})();
