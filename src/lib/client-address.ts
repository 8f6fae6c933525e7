import ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';

/*
 * Which address a request comes from when Clinicbox runs behind reverse proxies (--trust-proxy).
 *
 * Any client can send X-Forwarded-For or Forwarded, so they are read only when the connection
 * comes from a proxy the operator named. Each proxy appends the address it received the request
 * from, so the list is walked from the right: past every trusted proxy, the first address that is
 * not one is the client. Entries further left were written by that client and are never read —
 * prefixing a made-up address gains nothing.
 *
 * X-Forwarded-For is read when present (nginx, Caddy, Traefik and HAProxy set it), the standard
 * Forwarded (RFC 7239) otherwise. A proxy that sets only Forwarded must drop a client's
 * X-Forwarded-For, or the client could write it.
 */

/** Whether an address (as `parseAddress` reads it) is one of the trusted proxies. */
export type ProxyTrust = (address: ipaddr.IPv4 | ipaddr.IPv6) => boolean;

/** Trusts nothing: every request's client is its connection's address. */
export const trustNoProxy: ProxyTrust = () => false;

/**
 * The trust for `entries`, each an IP address or a CIDR range (`10.0.0.0/8`, `fd00::/8`).
 * Throws, naming the entry, for one that is neither.
 */
export function trustProxies(entries: readonly string[]): ProxyTrust {
  const ranges = entries.map(proxyRange);
  if (ranges.length === 0) return trustNoProxy;
  return (address) => ranges.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits));
}

/** Why `entry` is no address or CIDR range, or null when it is one. */
export function proxyEntryProblem(entry: string): string | null {
  try {
    proxyRange(entry);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function proxyRange(entry: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const [address = '', bits, ...more] = entry.trim().split('/');
  const net = parseAddress(address);
  const max = net?.kind() === 'ipv4' ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
  if (
    !net ||
    more.length > 0 ||
    !(prefix >= 0 && prefix <= max) ||
    (net.kind() === 'ipv6' && (net as ipaddr.IPv6).zoneId)
  ) {
    throw new Error(`"${entry}" is not an IP address or a CIDR range such as 10.0.0.0/8`);
  }
  return [net, prefix];
}

/**
 * An address written the usual way (four decimal parts, or IPv6), IPv4-mapped IPv6 as IPv4
 * (a dual-stack socket reports `::ffff:10.0.0.1`), or null. No shorthand such as `10.1`.
 */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  return ipaddr.IPv6.isValid(text) ? ipaddr.process(text) : null;
}

/** The forwarding headers of a request. */
export interface ForwardingHeaders {
  xForwardedFor?: string | undefined;
  forwarded?: string | undefined;
}

/**
 * The client's address: `peer` (the connection's) unless it is a trusted proxy, then the
 * rightmost untrusted address of the forwarding header (see the file comment). When every hop is
 * trusted, the leftmost; when a hop is no address (`unknown`, an obfuscated name), the proxy
 * that wrote it. Answers in canonical form, so one client is one key. Undefined without a peer.
 */
export function clientAddress(
  peer: string | undefined,
  headers: ForwardingHeaders,
  trust: ProxyTrust,
): string | undefined {
  const known = peer === undefined ? undefined : parsedPeer(peer);
  if (!known) return peer;
  let client = known.address;
  if (!trust(client)) return known.text;
  const hops = headers.xForwardedFor
    ? xForwardedForHops(headers.xForwardedFor)
    : forwardedHops(headers.forwarded);
  for (let i = hops.length - 1; i >= 0 && trust(client); i--) {
    const hop = parseHop(hops[i]!);
    if (!hop) break;
    client = hop;
  }
  return client.toString();
}

/**
 * Connection addresses seen lately, parsed and in canonical form: parsing one on every request
 * (ipaddr.js) was a tenth of the CPU of a request that does nothing else. `false`: no address.
 */
const peers = new LRUCache<string, { address: ipaddr.IPv4 | ipaddr.IPv6; text: string } | false>({
  max: 1024,
});

function parsedPeer(peer: string) {
  let known = peers.get(peer);
  if (known === undefined) {
    const address = parseAddress(peer);
    known = address ? { address, text: address.toString() } : false;
    peers.set(peer, known);
  }
  return known;
}

const xForwardedForHops = (header: string) => header.split(',').map((h) => h.trim());

/** The `for=` value of each element of a Forwarded header, in order (RFC 7239 section 4). */
function forwardedHops(header: string | undefined): string[] {
  if (!header) return [];
  return splitOutsideQuotes(header, ',').map((element) => {
    const pair = splitOutsideQuotes(element, ';').find((p) => /^\s*for\s*=/i.test(p));
    return pair ? pair.slice(pair.indexOf('=') + 1).trim() : '';
  });
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && quoted) i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** One hop: an address, maybe quoted, maybe with a port (`"[2001:db8::1]:4711"`, `192.0.2.1:80`). */
function parseHop(hop: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const text = hop.replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return parseAddress(bracketed[1]!);
  const withPort = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(text);
  return parseAddress(withPort ? withPort[1]! : text);
}
