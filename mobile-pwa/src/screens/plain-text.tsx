/** @jsxImportSource preact */

/**
 * A message's text as plain text: Preact escapes every character, line breaks stay (CSS), and only
 * http(s) addresses become links (opened apart, no referrer). Never HTML from the text.
 */
const LINK = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

export function PlainText(props: { text: string }) {
  const parts: (string | { href: string })[] = [];
  let last = 0;
  for (const m of props.text.matchAll(LINK)) {
    if (m.index > last) parts.push(props.text.slice(last, m.index));
    parts.push({ href: m[0] });
    last = m.index + m[0].length;
  }
  if (last < props.text.length) parts.push(props.text.slice(last));
  return (
    <p class="message-text">
      {parts.map((p) =>
        typeof p === 'string' ? (
          p
        ) : (
          <a href={p.href} target="_blank" rel="noopener noreferrer nofollow">
            {p.href}
          </a>
        ),
      )}
    </p>
  );
}
