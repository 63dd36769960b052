import { DateTime, Info } from 'luxon';
import type { Instant } from '../model.js';
import { isValidTimezone } from './zone-clock.js';

const CUSTOMER_FORMAT = {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
} as const;

/**
 * An instant as a customer reads it in their own zone and language, e.g. the next opening:
 * "Mon, Nov 30, 9:00 AM" (en), "lun, 30 nov, 9:00" (es).
 *
 * The customer's zone and language come from what they (or their browser) sent, so both may be
 * wrong: an unknown zone formats in UTC and says so ("… UTC"); an unusable language tag falls
 * back to English. Never throws for such input.
 */
export function formatInstant(at: Instant, timezone: string, language: string): string {
  // Queued conversations are all told the same next opening: format each (instant, zone,
  // language) once. A pure function's answer, so the memo cannot change what callers see.
  const key = `${at}|${timezone}|${language}`;
  const known = formatted.get(key);
  if (known !== undefined) return known;
  const text = formatUncached(at, timezone, language);
  if (formatted.size >= FORMATTED_MAX) formatted.delete(formatted.keys().next().value as string);
  formatted.set(key, text);
  return text;
}

/** Next openings × customer zones × languages: a few thousand distinct texts in a busy week. */
const FORMATTED_MAX = 4_096;
const formatted = new Map<string, string>();

/**
 * Luxon builds a DateTime, a Locale and a formatter per call, too slow for a queued decision
 * whose text is not in the memo (it set the routing benchmark's p99,
 * bench/results/routing-profile.md). For what Luxon itself hands straight to Intl — an IANA zone
 * and a plain language tag (no `-u-` extension, which Luxon rewrites) — the same
 * `Intl.DateTimeFormat(language, { ...CUSTOMER_FORMAT, timeZone })` is built once and kept;
 * everything else goes through Luxon as before. The property test in format-instant.test.ts
 * compares the two.
 */
const PLAIN_LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const formats = new Map<string, Intl.DateTimeFormat | null>();
const FORMATS_MAX = 256;
/** Date's range (±8.64e15 ms) less 100 days. */
const DIRECT_LIMIT_MS = 8.64e15 - 100 * 86_400_000;

function directFormat(timezone: string, language: string): Intl.DateTimeFormat | null {
  const key = `${language}|${timezone}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = null;
    if (PLAIN_LANGUAGE.test(language) && isValidTimezone(timezone) && Info.normalizeZone(timezone).type === 'iana') {
      try {
        format = new Intl.DateTimeFormat(language, { ...CUSTOMER_FORMAT, timeZone: timezone });
      } catch {
        format = null;
      }
    }
    if (formats.size >= FORMATS_MAX) formats.clear();
    formats.set(key, format);
  }
  return format;
}

function formatUncached(at: Instant, timezone: string, language: string): string {
  // Near and beyond the ends of Date's range Luxon says "Invalid DateTime" (its local time
  // overflows) where Intl would format or throw: those go through Luxon.
  const direct = Number.isFinite(at) && Math.abs(at) < DIRECT_LIMIT_MS ? directFormat(timezone, language) : null;
  if (direct === null) return formatWithLuxon(at, timezone, language);
  return plainSpaces(direct.format(at));
}

/**
 * ICU ≥ 72 puts a narrow no-break space before "AM"; older ICU a plain space. Plain spaces keep
 * the text identical across Node builds and safe in plain-text email and Slack.
 */
function plainSpaces(text: string): string {
  return text.replace(/[\u202f\u00a0]/g, ' ');
}

/** The reference: what a customer is shown, through Luxon. Exported for the property test. */
export function formatWithLuxon(at: Instant, timezone: string, language: string): string {
  const zoneKnown = isValidTimezone(timezone);
  const dateTime = DateTime.fromMillis(at, { zone: zoneKnown ? timezone : 'UTC' });
  let text: string;
  try {
    text = dateTime.setLocale(language).toLocaleString(CUSTOMER_FORMAT);
  } catch {
    // Intl throws RangeError on a malformed language tag (e.g. "en_US").
    text = dateTime.setLocale('en').toLocaleString(CUSTOMER_FORMAT);
  }
  text = plainSpaces(text);
  return zoneKnown ? text : `${text} UTC`;
}
