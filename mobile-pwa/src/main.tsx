/**
 * The patient app (placeholder). A minimal, accessible shell so the build, embedding and service
 * worker pipeline is real; the full PWA (sign-in with a one-time code, booking, forms, documents,
 * messages) replaces it. Imports only types from src/ (DESIGN.md), and none yet.
 */
import { render } from 'preact';
import './app.css';

function App() {
  return (
    <>
      <header class="bar">
        <h1>Clinicbox — patient app</h1>
      </header>
      <main id="main" tabIndex={-1}>
        <section aria-labelledby="soon">
          <h2 id="soon">Booking arrives soon</h2>
          <p>
            You will be able to book, reschedule and cancel appointments, fill in forms and message your
            clinic here. Until then, please contact the clinic directly.
          </p>
        </section>
      </main>
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);

if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => {
      // No service worker (private mode, http on a non-local host): the app still works online.
    });
  });
}
