/**
 * `formatInstant` formats through a kept `Intl.DateTimeFormat` when Luxon would hand the same
 * zone and language straight to Intl; the text must be exactly Luxon's, for every zone and tag a
 * customer may send (aliases, fixed offsets, unknown zones, malformed and extended tags) and
 * across DST changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, formatWithLuxon } from './format-instant.js';

const ZONES = [
  'Europe/Madrid',
  'America/New_York',
  'America/Sao_Paulo',
  'Asia/Tokyo',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'UTC',
  'utc',
  'Etc/UTC',
  'Etc/GMT+5',
  'GMT',
  'europe/madrid',
  'UTC+3',
  'Mars/Olympus',
  '',
];
const LANGUAGES = ['en', 'es', 'pt', 'pt-BR', 'fr', 'de', 'de-CH', 'it', 'nl', 'ja', 'zh-Hant-TW', 'ar-EG', 'hi', 'EN', 'en-us', 'th-TH-u-nu-thai', 'en_US', 'xx', 'e', ''];

describe('formatInstant (property)', () => {
  it("gives Luxon's text for every zone, language and instant", () => {
    const instant = fc.oneof(
      fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2028-01-01T00:00:00Z') }),
      // Around the 2026 DST changes of Europe and the US.
      fc.integer({ min: Date.parse('2026-03-08T00:00:00Z'), max: Date.parse('2026-03-08T12:00:00Z') }),
      fc.integer({ min: Date.parse('2026-10-25T00:00:00Z'), max: Date.parse('2026-10-25T04:00:00Z') }),
      fc.constantFrom(0, -1, 8.64e15, -8.64e15, 8.64e15 - 1e9, 8.64e15 - 8.64e9, 8.64e15 - 8.65e9, 8.64e15 + 1, Number.NaN, 1.5),
    );
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), fc.constantFrom(...LANGUAGES), (at, zone, language) => {
        expect(formatInstant(at, zone, language)).toBe(formatWithLuxon(at, zone, language));
      }),
      { seed: 20_261_126, numRuns: 3_000 },
    );
  });

  /**
   * Many instants per zone and language through one kept formatter (openings, any minute from
   * 1975 to 2105, quarter hours across DST changes), each compared with Luxon's text.
   */
  it("gives Luxon's text for many instants through one kept formatter", () => {
    const instants: number[] = [];
    let seed = 20_261_126;
    const next = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    // Openings (whole and half hours) over two years, and any minute from 1975 to 2105.
    const from2026 = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 100; i += 1) instants.push(from2026 + Math.floor(next() * 730 * 48) * 1_800_000);
    const from1975 = Date.parse('1975-01-01T00:00:00Z');
    const until2105 = Date.parse('2105-01-01T00:00:00Z');
    for (let i = 0; i < 30; i += 1) instants.push(from1975 + Math.floor(next() * ((until2105 - from1975) / 60_000)) * 60_000);
    // Every quarter hour across the 2026 changes of Europe, the US and Lord Howe (half-hour DST).
    for (const change of ['2026-03-08T06:00:00Z', '2026-03-29T00:00:00Z', '2026-10-25T00:00:00Z', '2026-04-04T14:00:00Z']) {
      for (let q = 0; q < 10; q += 1) instants.push(Date.parse(change) + q * 900_000);
    }
    for (const zone of ZONES) {
      for (const language of ['en', 'es', 'pt-BR', 'de-CH', 'ja', 'zh-Hant-TW', 'ar-EG', 'hi', 'th-TH-u-nu-thai', 'en_US']) {
        for (const at of instants) expect(formatInstant(at, zone, language)).toBe(formatWithLuxon(at, zone, language));
      }
    }
  });
});
