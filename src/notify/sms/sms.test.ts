import { describe, expect, it } from 'vitest';
import { perSuite } from '../../testing/lifecycle.ts';
import { startSmsSink } from '../../testing/peers/sms-sink.ts';
import { httpSmsTransport, PermanentSmsError, twilioTransport } from './index.ts';

/** The SMS transports against a real local HTTP server standing in for the provider. */
describe('SMS transports', () => {
  const sink = perSuite(startSmsSink, (s) => s.stop());

  it('posts the filled-in JSON template with the auth header to a generic gateway', async () => {
    const sms = httpSmsTransport({
      url: `${sink().url}/send`,
      bodyTemplate: '{"recipient":"{{to}}","message":"{{text}}","sender":"Clinic"}',
      authHeader: 'Authorization: Bearer k3y',
    });
    const before = sink().requests.length;
    const { providerId } = await sms.send({
      to: '+33612345678',
      text: 'Line "one"\nline two',
      idempotencyKey: 'k1',
    });
    const req = sink().requests[before]!;
    expect(req.path).toBe('/send');
    expect(req.headers.authorization).toBe('Bearer k3y');
    expect(req.headers['idempotency-key']).toBe('k1');
    expect(JSON.parse(req.body)).toEqual({
      recipient: '+33612345678',
      message: 'Line "one"\nline two',
      sender: 'Clinic',
    });
    expect(providerId).toMatch(/^msg-\d+$/);
  });

  it('retries on 5xx and network errors, and gives up at once on 4xx', async () => {
    const sms = httpSmsTransport({ url: `${sink().url}/send` });
    sink().failNext(503);
    await expect(sms.send({ to: '+33612345678', text: 'x' })).rejects.not.toBeInstanceOf(PermanentSmsError);
    sink().failNext(400);
    await expect(sms.send({ to: '+33612345678', text: 'x' })).rejects.toBeInstanceOf(PermanentSmsError);
    const down = httpSmsTransport({ url: 'http://127.0.0.1:1/send', timeoutMs: 500 });
    await expect(down.send({ to: '+33612345678', text: 'x' })).rejects.toThrow(/could not reach/);
  });

  it('speaks Twilio’s Messages API: form fields and basic auth', async () => {
    const sms = twilioTransport({
      accountSid: 'AC123',
      authToken: 'secret',
      from: '+15005550006',
      apiUrl: sink().url,
    });
    const before = sink().requests.length;
    const { providerId } = await sms.send({ to: '+33612345678', text: 'Your code: 123456' });
    const req = sink().requests[before]!;
    expect(req.path).toBe('/2010-04-01/Accounts/AC123/Messages.json');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('AC123:secret').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      To: '+33612345678',
      From: '+15005550006',
      Body: 'Your code: 123456',
    });
    expect(providerId).toMatch(/^SM\d+$/);
  });
});
