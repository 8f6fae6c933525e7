import type { Logger } from '../../lib/log.ts';
import { httpSmsTransport } from './http.ts';
import { logSmsTransport } from './log.ts';
import { twilioTransport } from './twilio.ts';
import type { SmsTransport } from './types.ts';

export { DEFAULT_SMS_BODY, httpSmsTransport } from './http.ts';
export { logSmsTransport } from './log.ts';
export { countSegments, type SegmentCount } from './segments.ts';
export { twilioTransport } from './twilio.ts';
export { PermanentSmsError, type SmsMessage, type SmsTransport } from './types.ts';

export interface SmsConfig {
  smsHttpUrl?: string | undefined;
  smsHttpMethod?: string | undefined;
  smsHttpBody?: string | undefined;
  smsHttpAuthHeader?: string | undefined;
  twilioAccountSid?: string | undefined;
  twilioAuthToken?: string | undefined;
  twilioFrom?: string | undefined;
  twilioApiUrl?: string | undefined;
}

/** Twilio when its account is configured, else the HTTP gateway when its URL is, else the log driver. */
export function smsTransportFor(config: SmsConfig, log: Logger): SmsTransport {
  if (config.twilioAccountSid) {
    return twilioTransport({
      accountSid: config.twilioAccountSid,
      authToken: config.twilioAuthToken ?? '',
      from: config.twilioFrom ?? '',
      ...(config.twilioApiUrl ? { apiUrl: config.twilioApiUrl } : {}),
    });
  }
  if (config.smsHttpUrl) {
    return httpSmsTransport({
      url: config.smsHttpUrl,
      ...(config.smsHttpMethod ? { method: config.smsHttpMethod } : {}),
      ...(config.smsHttpBody ? { bodyTemplate: config.smsHttpBody } : {}),
      ...(config.smsHttpAuthHeader ? { authHeader: config.smsHttpAuthHeader } : {}),
    });
  }
  return logSmsTransport(log);
}
