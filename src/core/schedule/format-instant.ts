import { DateTime, Info } from 'luxon';
import type { Instant } from '../model.js';
import { DAY_MS, isValidTimezone, MINUTE_MS, offsetMsAt, weekdayOfDay, zoneClockFor, type ZoneClock } from './zone-clock.js';

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
 * Luxon builds a DateTime, a Locale and a formatter per call (~40 µs; a queued decision whose
 * text is not in the memo paid it, and set the benchmark's p99). For what Luxon itself hands
 * straight to Intl — an IANA zone and a plain language tag (no `-u-` extension, which Luxon
 * rewrites) — the same `Intl.DateTimeFormat(language, { ...CUSTOMER_FORMAT, timeZone })`
 * is built once and kept; everything else goes through Luxon as before. The property test in
 * format-instant.test.ts compares the two.
 */
const PLAIN_LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const formats = new Map<string, DirectFormat | null>();
const FORMATS_MAX = 256;
/** Date's range (±8.64e15 ms) less 100 days. */
const DIRECT_LIMIT_MS = 8.64e15 - 100 * 86_400_000;

interface DirectFormat {
  readonly format: Intl.DateTimeFormat;
  /** Null when the formatter's texts cannot be put together from parts (see `Composer`). */
  composer: Composer | null;
}

function directFormat(timezone: string, language: string): DirectFormat | null {
  const key = `${language}|${timezone}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = null;
    if (PLAIN_LANGUAGE.test(language) && isValidTimezone(timezone) && Info.normalizeZone(timezone).type === 'iana') {
      try {
        const intl = new Intl.DateTimeFormat(language, { ...CUSTOMER_FORMAT, timeZone: timezone });
        format = { format: intl, composer: newComposer(intl, timezone) };
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
  return plainSpaces(formatDirect(direct, at));
}

function plainSpaces(text: string): string {
  return text.replace(/[\u202f\u00a0]/g, ' ');
}

// ---------------------------------------------------------------------------------------------
// Texts put together from the parts Intl gave for other instants

/**
 * An `Intl.DateTimeFormat` formats every instant with one pattern, fixed when it is built: the
 * same parts in the same order, the same literals between them. In the Gregorian calendar the
 * weekday, month and day parts depend only on the local weekday, month and day of the month, and
 * the hour, minute and day-period parts only on the local time of day. So once Intl has shown
 * the parts of a Monday, of November, of the 30th and of 09:00, "Mon, Nov 30, 9:00 AM" is
 * those parts in the pattern's order, with no call into Intl (~10 µs: the next-opening text of
 * 557 of 20,000 decisions in bench/routing.ts's timed pass was new, and set its tail).
 *
 * The local time comes from the zone's offsets (zone-clock.ts, exact since 1970; kept to
 * 1980–2100 here, away from the seconds-offsets of the early 1970s). A formatter in another
 * calendar, or with parts of another kind, is not put together; and if Intl ever gave a pattern
 * unlike the first, the formatter stops putting texts together. format-instant.test.ts compares
 * the texts with Luxon's over years of instants, zones and languages.
 */
interface Composer {
  readonly clock: ZoneClock;
  /** The pattern: per part, its type, its kind and (for a literal) its text. */
  readonly types: readonly string[];
  readonly kinds: readonly PartKind[];
  readonly literals: readonly string[];
  /** Part texts by local weekday (1–7), month (1–12), day of the month (1–31). */
  readonly weekdays: (string | undefined)[];
  readonly months: (string | undefined)[];
  readonly days: (string | undefined)[];
  /** The hour, minute and day-period texts, in pattern order, by local minute of the day. */
  readonly times: (readonly string[] | undefined)[];
}

type PartKind = 'literal' | 'weekday' | 'month' | 'day' | 'time';
const TIME_PARTS: ReadonlySet<string> = new Set(['hour', 'minute', 'dayPeriod']);
const COMPOSE_FROM_MS = Date.UTC(1980, 0, 1);
const COMPOSE_UNTIL_MS = Date.UTC(2100, 0, 1);

function newComposer(format: Intl.DateTimeFormat, timezone: string): Composer | null {
  if (format.resolvedOptions().calendar !== 'gregory') return null;
  const sample = format.formatToParts(COMPOSE_FROM_MS);
  const types: string[] = [];
  const kinds: PartKind[] = [];
  const literals: string[] = [];
  for (const part of sample) {
    types.push(part.type);
    let kind: PartKind;
    if (part.type === 'literal' || part.type === 'weekday' || part.type === 'month' || part.type === 'day') kind = part.type;
    else if (TIME_PARTS.has(part.type)) kind = 'time';
    else return null;
    kinds.push(kind);
    literals.push(kind === 'literal' ? part.value : '');
  }
  const composer: Composer = {
    clock: zoneClockFor(timezone),
    types,
    kinds,
    literals,
    weekdays: new Array<string | undefined>(8).fill(undefined),
    months: new Array<string | undefined>(13).fill(undefined),
    days: new Array<string | undefined>(32).fill(undefined),
    times: new Array<readonly string[] | undefined>(1440).fill(undefined),
  };
  // Every weekday and day of the month (31 days in a row), every month and every quarter hour
  // of the day (every zone's offset is whole quarter hours), learnt now: ~140 parts, about a
  // millisecond once per zone and language, after which a text is new only when its opening is
  // off the quarter hours.
  const references: number[] = [];
  for (let day = 0; day < 31; day += 1) references.push(Date.UTC(2026, 0, 1 + day, 12));
  for (let month = 0; month < 12; month += 1) references.push(Date.UTC(2026, month, 15, 12));
  for (let quarter = 0; quarter < 96; quarter += 1) references.push(Date.UTC(2026, 0, 15) + quarter * 15 * MINUTE_MS);
  for (const at of references) {
    readLocal(composer.clock, at);
    if (!learn(composer, format.formatToParts(at))) return null;
  }
  return composer;
}

/** Local calendar fields of an instant in the composer's zone. */
interface LocalFields {
  weekday: number;
  month: number;
  day: number;
  minuteOfDay: number;
}
const local: LocalFields = { weekday: 0, month: 0, day: 0, minuteOfDay: 0 };

function readLocal(clock: ZoneClock, at: number): void {
  const wall = at + offsetMsAt(clock, at);
  const dayNumber = Math.floor(wall / DAY_MS);
  local.minuteOfDay = Math.floor((wall - dayNumber * DAY_MS) / MINUTE_MS);
  local.weekday = weekdayOfDay(dayNumber);
  // Civil date from days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  local.day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  local.month = shifted < 10 ? shifted + 3 : shifted - 9;
}

function formatDirect(direct: DirectFormat, at: number): string {
  const composer = at >= COMPOSE_FROM_MS && at < COMPOSE_UNTIL_MS ? direct.composer : null;
  if (composer === null) return direct.format.format(at);
  readLocal(composer.clock, at);
  const composed = compose(composer);
  if (composed !== null) return composed;
  const parts = direct.format.formatToParts(at);
  if (!learn(composer, parts)) direct.composer = null;
  let text = '';
  for (const part of parts) text += part.value;
  return text;
}

function compose(composer: Composer): string | null {
  const weekday = composer.weekdays[local.weekday];
  const month = composer.months[local.month];
  const day = composer.days[local.day];
  const time = composer.times[local.minuteOfDay];
  if (weekday === undefined || month === undefined || day === undefined || time === undefined) return null;
  const { kinds, literals } = composer;
  let text = '';
  let timeIndex = 0;
  for (let i = 0; i < kinds.length; i += 1) {
    switch (kinds[i]!) {
      case 'literal':
        text += literals[i]!;
        break;
      case 'weekday':
        text += weekday;
        break;
      case 'month':
        text += month;
        break;
      case 'day':
        text += day;
        break;
      case 'time':
        text += time[timeIndex]!;
        timeIndex += 1;
        break;
    }
  }
  return text;
}

/** Remembers the parts of `local`'s fields; false when the parts do not follow the pattern. */
function learn(composer: Composer, parts: readonly Intl.DateTimeFormatPart[]): boolean {
  const { types, kinds, literals } = composer;
  if (parts.length !== kinds.length) return false;
  const time: string[] = [];
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i]!;
    if (part.type !== types[i]) return false;
    if (kinds[i] === 'literal' && part.value !== literals[i]) return false;
    if (kinds[i] === 'time') time.push(part.value);
  }
  for (const part of parts) {
    if (part.type === 'weekday') composer.weekdays[local.weekday] = part.value;
    else if (part.type === 'month') composer.months[local.month] = part.value;
    else if (part.type === 'day') composer.days[local.day] = part.value;
  }
  composer.times[local.minuteOfDay] = time;
  return true;
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
  // ICU ≥ 72 puts a narrow no-break space before "AM"; older ICU a plain space. Plain spaces
  // keep the text identical across Node builds and safe in plain-text email and Slack.
  text = text.replace(/[\u202f\u00a0]/g, ' ');
  return zoneKnown ? text : `${text} UTC`;
}
