import { BaseLayout } from '../layouts/base.tsx';

/** The page shown for any error on a non-API route; never shows internals. */
export function ErrorPage(props: { status: number; message: string; requestId?: string | undefined }) {
  const title =
    props.status === 404 ? 'Not found' : props.status >= 500 ? 'Something went wrong' : 'Cannot do that';
  return (
    <BaseLayout title={title}>
      <main class="narrow">
        <h1>{title}</h1>
        <p>{props.message}</p>
        {props.requestId ? (
          <p class="muted">
            Reference: <code>{props.requestId}</code>
          </p>
        ) : null}
        <p>
          <a href="/">Back to the start</a>
        </p>
      </main>
    </BaseLayout>
  );
}
