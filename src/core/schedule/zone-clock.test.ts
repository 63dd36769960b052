/**
 * `offsetMsAt` memoises offsets per UTC hour, and fills a whole UTC day at once when its two ends
 * share an offset: every answer must be Luxon's, in any order of asking, for zones with DST
 * changes on the hour, on the half hour (St John's) and of half an hour (Lord Howe).
 */
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextOffsetChange, offsetMsAt, zoneClockFor } from './zone-clock.js';

const ZONES = ['Europe/Madrid', 'America/New_York', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Sao_Paulo', 'Pacific/Apia', 'UTC'];

function instants(): number[] {
  const out: number[] = [];
  let seed = 20_261_126;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  // Random minutes from 1965 to 2105 (before 1970 and after 2100: hour by hour), then every
  // 30 minutes across a year of DST changes, in a shuffled order so that days are filled from
  // any of their hours.
  for (let i = 0; i < 2_000; i += 1) out.push(Date.UTC(1965, 0, 1) + Math.floor(next() * 140 * 365.25 * 1_440) * 60_000);
  const year: number[] = [];
  for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2027, 0, 1); at += 30 * 60_000) year.push(at);
  for (let i = year.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [year[i], year[j]] = [year[j]!, year[i]!];
  }
  return [...out, ...year];
}

describe('zone clock', () => {
  it("gives Luxon's offset for every instant, whatever was asked before", () => {
    const all = instants();
    for (const zone of ZONES) {
      const clock = zoneClockFor(zone);
      const luxon = IANAZone.create(zone);
      for (const at of all) {
        const expected = luxon.offset(at) * 60_000;
        if (offsetMsAt(clock, at) !== expected) expect({ zone, at: new Date(at).toISOString(), offset: offsetMsAt(clock, at) }).toEqual({ zone, at: new Date(at).toISOString(), offset: expected });
      }
    }
  });

  it('finds the next offset change where Luxon sees it', () => {
    const clock = zoneClockFor('America/St_Johns');
    const change = nextOffsetChange(clock, Date.UTC(2026, 2, 1), Date.UTC(2026, 5, 1));
    const luxon = IANAZone.create('America/St_Johns');
    expect(luxon.offset(change)).not.toBe(luxon.offset(change - 1_000));
    expect(luxon.offset(change - 1_000)).toBe(luxon.offset(Date.UTC(2026, 2, 1)));
  });
});
