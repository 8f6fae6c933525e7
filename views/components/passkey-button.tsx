/** The scripts a page with a passkey button loads (WebAuthn in the browser, and the button's code). */
export const passkeyScripts = ['/static/vendor/simplewebauthn/index.umd.min.js', '/static/passkeys.js'];

/**
 * The button `static/passkeys.js` brings to life (hidden until it finds WebAuthn), and the line
 * where it reports: sign in with a passkey, or add one. `next` is where sign-in continues.
 */
export function PasskeyButton(props: {
  action: 'sign-in' | 'register';
  csrf: string;
  label: string;
  next?: string;
  secondary?: boolean;
}) {
  return (
    <>
      <p>
        <button
          type="button"
          class={props.secondary ? 'secondary' : undefined}
          data-passkey={props.action}
          data-csrf={props.csrf}
          data-next={props.next}
          hidden
        >
          {props.label}
        </button>
      </p>
      <p id="passkey-status" role="status" class="muted"></p>
    </>
  );
}
