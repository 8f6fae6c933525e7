/**
 * A failure as an admin reads it on the Backups page and in the log: the message (with its code,
 * e.g. ENOSPC, EACCES), one line, at most 500 characters, with anything that looks like a
 * credential in a URL (`scheme://user:secret@`) or a key/secret/token parameter blanked out.
 */
export function readableError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const base = e instanceof Error ? e.message || e.name : String(error);
  const withCode = e?.code && !base.includes(e.code) ? `${e.code}: ${base}` : base;
  return withCode
    .replace(/\s+/g, ' ')
    .replace(/(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g, '$1***@')
    .replace(/((?:secret|password|passphrase|token|key)[\w-]*[=:]\s*)\S+/gi, '$1***')
    .trim()
    .slice(0, 500);
}
