import { describe, expect, it } from 'vitest';
import { formatDuration, initials, slaClock, slaShortText } from './format.js';
import { backoffMs } from './realtime.js';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('formatting for agents', () => {
  it('says durations the way people do', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(300)).toBe('5 min');
    expect(formatDuration(3900)).toBe('1 h 5 min');
    expect(formatDuration(7200)).toBe('2 h');
    expect(formatDuration(90_000)).toBe('1 d 1 h');
  });

  it('makes initials from a name, and a question mark from nothing', () => {
    expect(initials('Lucía Pérez García')).toBe('LG');
    expect(initials('ana')).toBe('A');
    expect(initials(null)).toBe('?');
  });
});

describe('the SLA clock', () => {
  const handedOff = { status: 'assigned', handedOffAt: iso(T0), firstResponseDueAt: iso(T0 + 5 * 60_000), firstHumanResponseAt: null };

  it('counts down to the first-response target and turns urgent near the end', () => {
    expect(slaClock(handedOff, T0 + 60_000)).toEqual({ state: 'running', text: '4 min left to first response', urgent: false, leftSeconds: 240 });
    expect(slaClock(handedOff, T0 + 4.5 * 60_000)).toMatchObject({ state: 'running', urgent: true });
    expect(slaShortText(slaClock(handedOff, T0 + 60_000))).toBe('SLA 4 min');
    expect(slaShortText(slaClock({ ...handedOff, firstResponseDueAt: null }, T0))).toBeNull();
  });

  it('shows how overdue a missed target is, and whether the answer came in time', () => {
    expect(slaClock(handedOff, T0 + 7 * 60_000)).toEqual({ state: 'breached', text: 'Overdue by 2 min' });
    expect(slaClock({ ...handedOff, firstHumanResponseAt: iso(T0 + 60_000) }, T0 + 9e6)).toEqual({ state: 'met', text: 'First response in time' });
    expect(slaClock({ ...handedOff, firstResponseDueAt: null }, T0)).toEqual({ state: 'none' });
  });

  it('runs no clock on a conversation resolved, closed or handed back before anyone answered', () => {
    for (const status of ['resolved', 'closed', 'bot']) expect(slaClock({ ...handedOff, status }, T0 + 60_000)).toEqual({ state: 'none' });
    expect(slaClock({ ...handedOff, status: 'queued' }, T0 + 60_000)).toMatchObject({ state: 'running' });
  });
});

describe('reconnecting', () => {
  it('backs off exponentially with jitter, capped at 30 seconds', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3].map((a) => backoffMs(a, mid))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(20, mid)).toBe(30_000);
    expect(backoffMs(0, () => 0)).toBe(375);
    expect(backoffMs(0, () => 1)).toBe(625);
  });
});
