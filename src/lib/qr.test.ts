import { describe, expect, it } from 'vitest';
import { qrSvg } from './qr.ts';

describe('qrSvg', () => {
  it('returns inline SVG markup with no script and no data: URL', async () => {
    const svg = await qrSvg(
      'otpauth://totp/Clinicbox:ana%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=Clinicbox',
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('viewBox=');
    expect(svg.toLowerCase()).not.toContain('<script');
    expect(svg).not.toContain('data:');
  });

  it('differs for different text', async () => {
    expect(await qrSvg('https://clinic.example/app/')).not.toBe(await qrSvg('https://other.example/app/'));
  });
});
