import { BaseLayout } from '../../layouts/base.tsx';

/**
 * The page between single sign-on and where the member was going: the browser moves on at once
 * (the response's Refresh header); the link is for one that does not.
 */
export function ContinuePage(props: { href: string }) {
  return (
    <BaseLayout title="Signing in">
      <main id="main" class="narrow card">
        <p class="brand">Clinicbox</p>
        <h1>Signing in</h1>
        <p>
          <a href={props.href}>Continue</a>
        </p>
      </main>
    </BaseLayout>
  );
}
