import { describe, expect, it } from 'vitest';
import { newId, newSecretToken } from '../../lib/ids.ts';
import { suiteApp } from '../../testing/lifecycle.ts';
import { loggedPath } from './request-context.ts';

describe('the request log line', () => {
  const app = suiteApp();

  it('never writes a secret token that is part of the path (a calendar feed’s URL)', async () => {
    const token = newSecretToken();
    app().logs.length = 0;
    const res = await app().http.request(`/ical/${token}.ics`);
    expect(res.status).toBe(404);
    const line = app().logs.find((l) => l.msg === 'request');
    expect(line).toMatchObject({ method: 'GET', path: '/ical/:secret.ics', status: 404 });
    expect(JSON.stringify(app().logs)).not.toContain(token);
  });

  it('keeps ids and ordinary words', () => {
    const id = newId();
    expect(loggedPath(`/staff/patients/${id}`)).toBe(`/staff/patients/${id}`);
    expect(loggedPath('/api/v1/appointments/calendar.ics')).toBe('/api/v1/appointments/calendar.ics');
    expect(loggedPath(`/x/${newSecretToken()}`)).toBe('/x/:secret');
  });
});
