import { describe, expect, it } from 'vitest';
import { isTwilioSignatureValid, twilioSignature } from './twilio-signature.ts';

/** The example of Twilio's security documentation (api-snippets, signature_validation): token, URL, params, signature. */
const token = '12345';
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675310',
  Digits: '1234',
  From: '+14158675310',
  To: '+18005551212',
};

describe('Twilio request signature', () => {
  it('matches the vector of Twilio’s documentation', () => {
    expect(twilioSignature(token, url, params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(isTwilioSignatureValid(token, 'GvWf1cFY/Q7PnoempGyD5oXAezc=', url, params)).toBe(true);
  });

  it('refuses a changed parameter, URL, token or signature', () => {
    const sig = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';
    expect(isTwilioSignatureValid(token, sig, url, { ...params, Digits: '1235' })).toBe(false);
    expect(isTwilioSignatureValid(token, sig, `${url}&x=1`, params)).toBe(false);
    expect(isTwilioSignatureValid('54321', sig, url, params)).toBe(false);
    expect(isTwilioSignatureValid(token, 'short', url, params)).toBe(false);
    expect(isTwilioSignatureValid('', sig, url, params)).toBe(false);
  });
});
