import { describe, expect, it } from 'vitest';
import { loadOptions } from './load.ts';
import { tlsOptions } from './tls-options.ts';

const load = (argv: string[], env: Record<string, string> = {}) =>
  loadOptions('serve', tlsOptions, argv, env).values;

describe('--acme-challenge', () => {
  it('is http-01 unless tls-alpn-01 is asked for (flag or env)', () => {
    expect(load([]).acmeChallenge).toBe('http-01');
    expect(load(['--acme-challenge', 'tls-alpn-01']).acmeChallenge).toBe('tls-alpn-01');
    expect(load([], { CLINICBOX_ACME_CHALLENGE: 'tls-alpn-01' }).acmeChallenge).toBe('tls-alpn-01');
  });

  it('refuses any other challenge, saying which it accepts', () => {
    expect(() => load(['--acme-challenge', 'dns-01'])).toThrow(
      '--acme-challenge: expected http-01 or tls-alpn-01, got "dns-01"',
    );
    expect(() => load([], { CLINICBOX_ACME_CHALLENGE: 'TLS-ALPN' })).toThrow(
      /^CLINICBOX_ACME_CHALLENGE: expected http-01 or tls-alpn-01/,
    );
  });
});
