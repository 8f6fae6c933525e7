import { z } from 'zod';
import { option } from './option-spec.ts';

const hostPort = z
  .string()
  .trim()
  .refine((v) => v === '' || /^(\[[0-9a-fA-F:.]+\]|[\w.-]+):\d{1,5}$/.test(v), 'expected host:port');
const bearerToken = z
  .string()
  .refine((v) => v === '' || v.length >= 32, 'the token must be 32 characters or more');

/** Prometheus metrics (`/metrics`): on an address of their own, or on the main one behind a token. */
export const metricsOptions = {
  metricsListen: option('metrics-listen <host:port>', hostPort, '', {
    accepts: 'empty, or host:port (e.g. 127.0.0.1:9464)',
    describe:
      'Serve /metrics (Prometheus text) on this address of its own, with no sign-in: keep it on a private network. Empty = not on an address of its own.',
  }),
  metricsToken: option('metrics-token <token>', bearerToken, '', {
    accepts: 'empty, or a secret of 32 characters or more',
    describe:
      'Serve /metrics on the main address too, to requests with "Authorization: Bearer <token>" (prefer the env twin CLINICBOX_METRICS_TOKEN). Empty = not on the main address.',
  }),
};
