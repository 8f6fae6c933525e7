// Passkey buttons on the staff sign-in and account pages (no inline script: CSP).
// Uses @simplewebauthn/browser, served beside this file as window.SimpleWebAuthnBrowser.
(() => {
  const wa = window.SimpleWebAuthnBrowser;
  const status = document.getElementById('passkey-status');
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const post = async (url, csrf, body) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body ?? {}),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data?.error?.message ?? `The server answered ${res.status}.`);
    return data;
  };
  for (const button of document.querySelectorAll('[data-passkey]')) {
    if (!wa?.browserSupportsWebAuthn()) {
      button.hidden = true;
      continue;
    }
    button.hidden = false;
    button.addEventListener('click', async () => {
      const csrf = button.dataset.csrf;
      button.disabled = true;
      try {
        if (button.dataset.passkey === 'sign-in') {
          say('Follow your device’s prompt…');
          const optionsJSON = await post('/staff/login/passkey/options', csrf);
          const response = await wa.startAuthentication({ optionsJSON });
          const { redirect } = await post(
            `/staff/login/passkey?next=${encodeURIComponent(button.dataset.next ?? '')}`,
            csrf,
            response,
          );
          window.location.assign(redirect);
        } else {
          const nameInput = document.getElementById('passkey-name');
          const passwordInput = document.getElementById('passkey-password');
          say('Follow your device’s prompt…');
          const optionsJSON = await post('/staff/account/passkeys/options', csrf);
          const response = await wa.startRegistration({ optionsJSON });
          const { redirect } = await post('/staff/account/passkeys', csrf, {
            name: nameInput?.value || 'Passkey',
            password: passwordInput?.value,
            response,
          });
          window.location.assign(redirect);
        }
      } catch (e) {
        say(e?.name === 'NotAllowedError' ? 'Cancelled.' : (e?.message ?? 'That did not work.'));
      } finally {
        button.disabled = false;
      }
    });
  }
})();
