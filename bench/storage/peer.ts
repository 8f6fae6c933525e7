/**
 * The bench's S3 server in a process of its own (so that its work is not counted in the bench
 * process's CPU or RSS): `node --import tsx bench/storage/peer.ts fauxqs|s3rver` prints the store
 * settings as one JSON line, serves until stdin closes.
 */
import { type S3PeerKind, startS3Peer } from '../../src/testing/peers/s3-server.ts';

const kind = (process.argv[2] ?? 'fauxqs') as S3PeerKind;
const peer = await startS3Peer(kind, 'clinicbox-bench');
process.stdout.write(`${JSON.stringify(peer.settings())}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await peer.stop();
  process.exit(0);
});
