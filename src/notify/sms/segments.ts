/**
 * How many SMS segments a text costs, as carriers count them: GSM-7 (the basic alphabet; the
 * extension characters ^{}\[~]|€ and form feed take two septets) fits 160 in one segment and 153
 * per segment when split; anything else goes as UCS-2, 70 in one and 67 per part (in UTF-16 code
 * units, so an emoji counts two).
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

export function countSegments(text: string): SegmentCount {
  let septets = 0;
  for (const ch of text) {
    if (basic.has(ch)) septets += 1;
    else if (extended.has(ch)) septets += 2;
    else {
      const units = text.length;
      return {
        encoding: 'UCS-2',
        units,
        segments: units === 0 ? 0 : units <= 70 ? 1 : Math.ceil(units / 67),
      };
    }
  }
  return {
    encoding: 'GSM-7',
    units: septets,
    segments: septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153),
  };
}
