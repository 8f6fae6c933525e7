/**
 * A message's text as plain text: every character escaped by JSX, line breaks kept (CSS
 * `white-space: pre-wrap`), and only http(s) addresses turned into links that open apart from the
 * page and send no referrer. Never HTML from the text.
 */
const LINK = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** The text split into plain parts and links (pure, for the staff pages). */
export function linkParts(text: string): { text: string; href?: string }[] {
  const parts: { text: string; href?: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ text: m[0], href: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

export const PlainText = (props: { text: string }) => (
  <p class="message-text">
    {linkParts(props.text).map((p) =>
      p.href ? (
        <a href={p.href} rel="noopener noreferrer nofollow" target="_blank">
          {p.text}
        </a>
      ) : (
        p.text
      ),
    )}
  </p>
);
