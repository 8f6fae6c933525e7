import type { Child } from 'hono/jsx';

/** The outer HTML of every server-rendered page. No inline script (CSP). */
export function BaseLayout(props: { title: string; children: Child; scripts?: string[] }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Clinicbox`}</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/app.css" />
        {(props.scripts ?? []).map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body>{props.children}</body>
    </html>
  );
}
