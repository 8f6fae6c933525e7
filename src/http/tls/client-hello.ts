import type { Socket } from 'node:net';
import { getExtensionData, readTlsClientHello } from 'read-tls-client-hello';

/** What a client's TLS ClientHello asks for: the name (SNI) and the ALPN protocols it offers. */
export interface HelloAsks {
  serverName: string;
  protocols: string[];
}

/**
 * Reads the ClientHello arriving on a fresh plain socket (it is plaintext) and puts its bytes
 * back, so the socket can be handed whole to a TLS server (`server.emit('connection', socket)`).
 * Not TLS, or a hello that does not parse: asks for nothing (the usual server refuses it as
 * before). null when the socket closed, or sent no hello within `timeoutMs` (the caller drops it).
 */
export async function readHelloAsks(socket: Socket, timeoutMs = 10_000): Promise<HelloAsks | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  const read = readTlsClientHello(socket).then(
    (hello): HelloAsks => ({
      serverName: String(getExtensionData(hello, 'server_name')?.serverName ?? '').toLowerCase(),
      protocols: getExtensionData(hello, 'application_layer_protocol_negotiation')?.protocols ?? [],
    }),
    (): HelloAsks | null =>
      socket.destroyed || socket.readableEnded ? null : { serverName: '', protocols: [] },
  );
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}
