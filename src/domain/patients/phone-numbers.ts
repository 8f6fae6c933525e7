import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Phone numbers on patient records: stored in E.164 (`+447700900100`), so a search, an SMS and a
 * sign-in by phone all see one form. A number typed without its country code is read as the
 * clinic's country's.
 */

/**
 * The clinic's country: the one of its own phone number when it has one in international form,
 * else the region of its locale (en-GB → GB); undefined when neither says.
 */
export function clinicCountry(settings: { phone: string; locale: string }): CountryCode | undefined {
  const own = parsePhoneNumberFromString(settings.phone.trim())?.country;
  if (own) return own;
  const region = settings.locale.split('-')[1]?.toUpperCase();
  return region && isSupportedCountry(region) ? region : undefined;
}

/**
 * The E.164 form of a typed number (international, or national in `country`), or null when it
 * cannot be a phone number. Only the length is checked (`isPossible`): ranges kept for drama and
 * tests (+44 7700 900xxx) are not "valid" yet are what clinics type.
 */
export function toE164(typed: string, country: CountryCode | undefined): string | null {
  const number = parsePhoneNumberFromString(typed.trim(), country);
  return number?.isPossible() ? number.number : null;
}

/**
 * The digits a phone search looks for inside stored numbers: those typed, without the trunk
 * zero (07700 900100 → 7700900100, found in +447700900100); null when the query is not a phone
 * number or too short to search (fewer than 4 digits).
 */
export function phoneDigitsOf(query: string): string | null {
  if (!/^[\d\s()+./-]+$/.test(query.trim())) return null;
  const digits = query.replace(/\D/g, '').replace(/^0+/, '');
  return digits.length >= 4 ? digits : null;
}

/** A stored number as people read it (+44 7700 900100); one that is not E.164 as it is. */
export function phoneForDisplay(stored: string): string {
  const number = stored.startsWith('+') ? parsePhoneNumberFromString(stored) : undefined;
  return number ? number.formatInternational() : stored;
}
