/**
 * `new Date(at).toISOString()` without the Date: a decision writes two or three instants
 * (decidedAt, the SLA and overflow timers, nextOpenAt), and the Date round trip cost ~0.5 µs
 * each, 3 % of a routing decision (bench/results/routing-profile.md); this costs ~0.16 µs.
 * Exact for whole milliseconds in years 1970–9999 (Howard Hinnant's `civil_from_days`); any
 * other value goes through Date, which also throws the same RangeError for a non-finite one.
 */
import type { Instant } from './model.js';

/** 9999-12-31T23:59:59.999Z + 1 ms: from here Date writes a six-digit year. */
const END_OF_9999 = 253_402_300_800_000;
const DAY_MS = 86_400_000;

export function isoInstant(at: Instant): string {
  if (!(at >= 0 && at < END_OF_9999 && Number.isInteger(at))) return new Date(at).toISOString();
  const days = Math.floor(at / DAY_MS);
  let rest = at - days * DAY_MS;
  // Days since 0000-03-01 in 400-year eras: leap days fall at the end of each year.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1_000);
  const millis = rest - seconds * 1_000;
  const millisText = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : `${millis}`;
  return `${year}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${millisText}Z`;
}

function two(value: number): string {
  return value < 10 ? `0${value}` : `${value}`;
}
