import { describe, expect, it } from 'vitest';
import {
  checkInText,
  decideCheckIn,
  decideOverflow,
  decideSlaBreach,
  followUpOfferText,
  MAX_SLA_REROUTES,
  textLanguage,
  type OverflowFacts,
  type SlaBreachFacts,
} from './decide-timer.js';

const NOW = Date.parse('2026-11-25T10:36:00Z');

const waiting: SlaBreachFacts = {
  now: NOW,
  status: 'queued',
  firstHumanResponseAt: null,
  firstResponseDueAt: NOW - 60_000,
  breaches: 0,
  timerHandoffSeq: 7,
  latestHandoffSeq: 7,
  latestTrigger: 'customer_requested_human',
  lastBreach: null,
};

describe('decideSlaBreach', () => {
  it('breaches a conversation still waiting for its first human response, and re-routes it', () => {
    expect(decideSlaBreach(waiting)).toEqual({ breached: true, breaches: 1, streak: 1, reroute: true });
  });

  it('breaches an assigned conversation whose agent has not replied (CW #13515, RC #12579)', () => {
    expect(decideSlaBreach({ ...waiting, status: 'assigned' })).toMatchObject({ breached: true });
  });

  it('does nothing when an agent answered in time', () => {
    expect(decideSlaBreach({ ...waiting, firstHumanResponseAt: NOW - 120_000 })).toEqual({ breached: false, reason: 'answered' });
  });

  it('does nothing when a newer handoff replaced the one the timer was set for', () => {
    expect(decideSlaBreach({ ...waiting, latestHandoffSeq: 12 })).toEqual({ breached: false, reason: 'superseded' });
  });

  it('does nothing for a resolved, closed, waiting-on-customer or handed-back conversation', () => {
    for (const status of ['resolved', 'closed', 'waiting_on_customer', 'bot'] as const) {
      expect(decideSlaBreach({ ...waiting, status })).toEqual({ breached: false, reason: 'not_awaiting_response' });
    }
  });

  it('fires once per handoff: a second run of the same timer finds the breach recorded', () => {
    expect(decideSlaBreach({ ...waiting, breaches: 1, lastBreach: { handoffSeq: 7, streak: 1 } })).toEqual({
      breached: false,
      reason: 'already_breached',
    });
  });

  it('waits for a deadline that was moved later than the timer', () => {
    expect(decideSlaBreach({ ...waiting, firstResponseDueAt: NOW + 5_000 })).toEqual({ breached: false, reason: 'not_due', dueAt: NOW + 5_000 });
  });

  it('counts breaches in a row across its own re-routes and stops re-routing past the cap', () => {
    const again = (streak: number) =>
      decideSlaBreach({ ...waiting, breaches: streak, latestTrigger: 'sla_breach', lastBreach: { handoffSeq: 3, streak } });
    expect(again(1)).toEqual({ breached: true, breaches: 2, streak: 2, reroute: true });
    expect(again(MAX_SLA_REROUTES - 1)).toMatchObject({ streak: MAX_SLA_REROUTES, reroute: true });
    expect(again(MAX_SLA_REROUTES)).toMatchObject({ streak: MAX_SLA_REROUTES + 1, reroute: false });
  });

  it('starts a new streak after a handoff that was not an SLA re-route', () => {
    expect(decideSlaBreach({ ...waiting, breaches: 4, latestTrigger: 'workflow_flag', lastBreach: { handoffSeq: 3, streak: 4 } })).toEqual({
      breached: true,
      breaches: 5,
      streak: 1,
      reroute: true,
    });
  });
});

describe('decideOverflow', () => {
  const queued: OverflowFacts = {
    status: 'queued',
    ownerId: null,
    queueId: 'es-support',
    timerQueue: 'es-support',
    timerHandoffSeq: 4,
    latestHandoffSeq: 4,
    overflowTo: 'general',
    overflowQueueExists: true,
  };

  it('moves a conversation still waiting unowned in the same queue to the overflow queue', () => {
    expect(decideOverflow(queued)).toEqual({ move: true, to: 'general' });
  });

  it('leaves a claimed, assigned, moved or re-routed conversation alone', () => {
    expect(decideOverflow({ ...queued, ownerId: 'ana', status: 'assigned' })).toEqual({ move: false, reason: 'not_waiting' });
    expect(decideOverflow({ ...queued, queueId: 'general' })).toEqual({ move: false, reason: 'not_waiting' });
    expect(decideOverflow({ ...queued, latestHandoffSeq: 9 })).toEqual({ move: false, reason: 'superseded' });
    expect(decideOverflow({ ...queued, status: 'resolved' })).toEqual({ move: false, reason: 'not_waiting' });
  });

  it('does not move when the overflow was removed, points nowhere, or points at the queue itself', () => {
    expect(decideOverflow({ ...queued, overflowTo: null, overflowQueueExists: false })).toEqual({ move: false, reason: 'no_overflow' });
    expect(decideOverflow({ ...queued, overflowQueueExists: false })).toEqual({ move: false, reason: 'no_overflow' });
    expect(decideOverflow({ ...queued, overflowTo: 'es-support' })).toEqual({ move: false, reason: 'no_overflow' });
  });
});

describe('decideCheckIn', () => {
  it('sends on a resolved conversation, waits for the next resolution when reopened, drops it when closed', () => {
    expect(decideCheckIn('resolved')).toBe('send');
    expect(decideCheckIn('assigned')).toBe('defer');
    expect(decideCheckIn('queued')).toBe('defer');
    expect(decideCheckIn('closed')).toBe('cancel');
  });
});

describe('customer texts', () => {
  it('offers a follow-up in the five languages, English otherwise', () => {
    expect(followUpOfferText('en')).toBe("Sorry for the wait — nobody has answered yet. Leave your email and we'll follow up, or keep waiting here.");
    expect(followUpOfferText('es-MX')).toMatch(/^Perdona la espera/);
    expect(followUpOfferText('fr')).toMatch(/^Désolés/);
    expect(followUpOfferText('de')).toMatch(/^Entschuldigen/);
    expect(followUpOfferText('pt-BR')).toMatch(/^Desculpe/);
    expect(followUpOfferText('ja')).toBe(followUpOfferText('en'));
    expect(followUpOfferText(null)).toBe(followUpOfferText('en'));
    expect(textLanguage('PT-br')).toBe('pt');
  });

  it('checks in by name, and reads well without one', () => {
    expect(checkInText('en', 'Lucía')).toBe('Hi Lucía, checking in — is everything working now? Reply here if you need anything.');
    expect(checkInText('es', 'Lucía')).toMatch(/^Hola Lucía, /);
    expect(checkInText('en', null)).toBe('Hi, checking in — is everything working now? Reply here if you need anything.');
    expect(checkInText('de', '  ')).toMatch(/^Hallo, wir/);
  });
});
