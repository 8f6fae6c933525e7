import { describe, expect, it } from 'vitest';
import { clientAddress, proxyEntryProblem, trustNoProxy, trustProxies } from './client-address.ts';

const proxies = trustProxies(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);

describe('clientAddress', () => {
  it('is the connection’s address, in canonical form, when that is no trusted proxy', () => {
    expect(clientAddress('203.0.113.7', { xForwardedFor: '198.51.100.1' }, proxies)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:203.0.113.7', {}, trustNoProxy)).toBe('203.0.113.7');
    expect(clientAddress('2001:DB8:0::1', {}, trustNoProxy)).toBe('2001:db8::1');
    expect(clientAddress(undefined, { xForwardedFor: '198.51.100.1' }, proxies)).toBeUndefined();
  });

  it('walks X-Forwarded-For from the right past trusted proxies to the first other address', () => {
    const via = (xForwardedFor: string, peer = '127.0.0.1') =>
      clientAddress(peer, { xForwardedFor }, proxies);
    expect(via('198.51.100.1')).toBe('198.51.100.1');
    expect(via('6.6.6.6, 198.51.100.1, 10.1.2.3')).toBe('198.51.100.1');
    // A dual-stack socket names an IPv4 proxy as IPv4-mapped IPv6.
    expect(via('198.51.100.1', '::ffff:10.0.0.5')).toBe('198.51.100.1');
    expect(via('198.51.100.1:4711,[2001:db8::7]:80')).toBe('2001:db8::7');
    // Every hop trusted: the farthest one; a hop that is no address: the proxy that wrote it.
    expect(via('10.9.9.9, 10.0.0.2')).toBe('10.9.9.9');
    expect(via('198.51.100.1, unknown, 10.0.0.2')).toBe('10.0.0.2');
    expect(via('')).toBe('127.0.0.1');
  });

  it('reads Forwarded (RFC 7239) when there is no X-Forwarded-For', () => {
    const via = (forwarded: string) => clientAddress('10.0.0.1', { forwarded }, proxies);
    expect(via('for=192.0.2.60;proto=http;by=203.0.113.43')).toBe('192.0.2.60');
    expect(via('for=192.0.2.43, For="[2001:db8:cafe::17]:4711"')).toBe('2001:db8:cafe::17');
    expect(via('proto=https;for="198.51.100.9:80", for=10.0.0.2')).toBe('198.51.100.9');
    expect(via('for=_hidden, for=10.0.0.2')).toBe('10.0.0.2');
    expect(via('by=10.0.0.2')).toBe('10.0.0.1');
    // X-Forwarded-For wins when both are there.
    expect(
      clientAddress('10.0.0.1', { forwarded: 'for=192.0.2.60', xForwardedFor: '198.51.100.1' }, proxies),
    ).toBe('198.51.100.1');
  });
});

describe('--trust-proxy entries', () => {
  it('accepts addresses and CIDR ranges of both families', () => {
    for (const entry of ['127.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '::1', 'fd00::/8', '2001:db8::/128']) {
      expect(proxyEntryProblem(entry), entry).toBeNull();
    }
  });

  it('names what is neither', () => {
    for (const entry of [
      'proxy.lan',
      '10.1',
      '10.0.0.0/33',
      '10.0.0.0/8/8',
      '::1/129',
      '10.0.0.0/x',
      '',
      'fe80::1%eth0',
    ]) {
      expect(proxyEntryProblem(entry), entry).toBe(
        `"${entry}" is not an IP address or a CIDR range such as 10.0.0.0/8`,
      );
    }
    expect(() => trustProxies(['127.0.0.1', 'proxy.lan'])).toThrow('"proxy.lan" is not an IP address');
  });
});
