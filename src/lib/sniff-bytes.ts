/**
 * The type a file's own bytes say it is (its magic numbers, through `file-type`), or undefined
 * when they name none (text, or an unknown format). The one way Clinicbox tells a file's type:
 * never from its name or the type its sender claims. `file-type` loads with the first file, not
 * at start.
 */
export async function typeFromBytes(bytes: Uint8Array): Promise<{ ext: string; mime: string } | undefined> {
  const { fileTypeFromBuffer } = await import('file-type');
  return fileTypeFromBuffer(bytes);
}
