import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe('staff passwords', () => {
  it('hash with a random salt and verify only the right password', async () => {
    const a = await hashPassword('correct horse battery staple', cheap);
    const b = await hashPassword('correct horse battery staple', cheap);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', a)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
  });

  it('use the OWASP cost by default without blocking the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const hash = await hashPassword('a long enough passphrase');
    clearInterval(timer);
    expect(hash.startsWith('scrypt$32768$8$3$')).toBe(true);
    expect(ticks).toBeGreaterThan(2);
  });

  it.each([
    ['short', 'Use at least 12 characters'],
    ['password1234', 'too common'],
    ['qwertyuiop123', 'too common'],
    ['aaaaaaaaaaaaaaaa', 'too easy'],
    ['maria.rossi-2026!', 'email'],
  ])('rejects %j', async (password, message) => {
    expect(await passwordProblem(password, { email: 'maria.rossi@clinic.example' })).toContain(message);
  });

  it('accepts a long unusual passphrase without composition rules', async () => {
    expect(await passwordProblem('purple tractor sings softly')).toBeNull();
  });
});
