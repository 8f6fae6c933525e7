import { Decrypter } from 'age-encryption';
import tar from 'tar-stream';

/** A tar archive's parts as `[name, bytes]`, in the order they stand in it (a name twice stays twice). */
export async function untar(bytes: Buffer): Promise<[string, Buffer][]> {
  const parts: [string, Buffer][] = [];
  const extract = tar.extract();
  const done = (async () => {
    for await (const entry of extract as AsyncIterable<{ header: tar.Header } & AsyncIterable<Buffer>>) {
      const body: Buffer[] = [];
      for await (const c of entry) body.push(c);
      parts.push([entry.header.name, Buffer.concat(body)]);
    }
  })();
  extract.end(bytes);
  await done;
  return parts;
}

/**
 * A backup archive (its bytes, or the stream the writer gives) decrypted with the age `identity`
 * and untarred: its parts in order (see untar). A stream that fails rejects with its error.
 */
export async function archiveParts(
  archive: Uint8Array | AsyncIterable<Uint8Array>,
  identity: string,
): Promise<[string, Buffer][]> {
  let cipher: Uint8Array;
  if (archive instanceof Uint8Array) cipher = archive;
  else {
    const chunks: Buffer[] = [];
    for await (const c of archive) chunks.push(Buffer.from(c));
    cipher = Buffer.concat(chunks);
  }
  const d = new Decrypter();
  d.addIdentity(identity);
  return untar(Buffer.from(await d.decrypt(cipher)));
}
