import { describe, expect, it } from 'vitest';
import { isAiOnly, isAiResolved, reportOfEvents, type ReportEvent } from './conversation-report.js';
import { metricsOf, spreadOf, spreadRanks } from './handoff-metrics.js';
import { dayLabel, localDayNumber, reportRange, weekStartDay } from './report-range.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-02T09:00:00Z');

function ev(type: string, minute: number, data: Record<string, unknown> = {}, where: { teamId?: string; queueId?: string } = {}): ReportEvent {
  return { type, data, teamId: where.teamId ?? null, queueId: where.queueId ?? null, createdAt: T0 + minute * MIN };
}
const assigned = (minute: number, from: string | null, to: string | null) => ev('conversation.assigned', minute, { from, to });
const status = (minute: number, from: string, to: string) => ev('conversation.status_changed', minute, { from, to });
const handoff = (minute: number, trigger: string, rule: string, where: { teamId?: string; queueId?: string } = {}) =>
  ev('handoff.completed', minute, { trace: { trigger, rule } }, where);

describe('a conversation report row', () => {
  it('counts a reassignment only when a different person becomes the owner after the first', () => {
    const first = reportOfEvents([ev('conversation.created', 0), assigned(1, null, 'ana')]);
    expect(first?.reassignments).toBe(0);
    expect(first?.agentId).toBe('ana');
    const released = reportOfEvents([ev('conversation.created', 0), assigned(1, null, 'ana'), assigned(2, 'ana', null), assigned(3, null, 'ana')]);
    expect(released?.reassignments).toBe(0);
    const moved = reportOfEvents([ev('conversation.created', 0), assigned(1, null, 'ana'), assigned(2, 'ana', null), assigned(3, null, 'ben'), assigned(4, 'ben', 'ana')]);
    expect(moved?.reassignments).toBe(2);
    expect(moved?.agentId).toBe('ana');
  });

  it('takes trigger, rule, team and queue from the first handoff, and the first response after it', () => {
    const row = reportOfEvents([
      ev('conversation.created', 0),
      handoff(2, 'customer_requested_human', 'vip', { teamId: 'support', queueId: 'general' }),
      ev('sla.stopped', 7),
      handoff(9, 'sla_breach', 'escalate', { teamId: 'tier2', queueId: 'urgent' }),
      ev('sla.stopped', 20),
    ]);
    expect(row).toMatchObject({ handedOffAt: T0 + 2 * MIN, trigger: 'customer_requested_human', rule: 'vip', teamId: 'support', queueId: 'general', firstResponseMs: 5 * MIN });
  });

  it('sums the waits in the queue that ended, not the one still running', () => {
    const row = reportOfEvents([
      ev('conversation.created', 0),
      status(1, 'bot', 'queued'),
      status(4, 'queued', 'assigned'),
      status(5, 'assigned', 'queued'),
      status(7, 'queued', 'assigned'),
      status(8, 'assigned', 'queued'),
    ]);
    expect(row?.queueWaitMs).toBe(5 * MIN);
    expect(row?.queuedSince).toBe(T0 + 8 * MIN);
    expect(reportOfEvents([ev('conversation.created', 0), status(1, 'bot', 'queued')])?.queueWaitMs).toBeNull();
  });

  it('measures resolution to the latest resolution, and forgets it while reopened', () => {
    const resolved = reportOfEvents([ev('conversation.created', 0), status(10, 'bot', 'resolved'), status(12, 'resolved', 'closed')]);
    expect(resolved?.resolutionMs).toBe(10 * MIN);
    expect(isAiResolved(resolved!)).toBe(true);
    const reopened = reportOfEvents([ev('conversation.created', 0), status(10, 'bot', 'resolved'), status(11, 'resolved', 'bot')]);
    expect(reopened?.resolutionMs).toBeNull();
    const again = reportOfEvents([ev('conversation.created', 0), status(10, 'bot', 'resolved'), status(11, 'resolved', 'bot'), status(30, 'bot', 'resolved')]);
    expect(again?.resolutionMs).toBe(30 * MIN);
  });

  it('is not AI-resolved or AI-only once a person owned it, even without a handoff', () => {
    const row = reportOfEvents([ev('conversation.created', 0), assigned(1, null, 'ana'), status(1, 'bot', 'assigned'), status(3, 'assigned', 'resolved'), ev('conversation.rated', 4, { score: 5 })]);
    expect(isAiResolved(row!)).toBe(false);
    expect(isAiOnly(row!)).toBe(false);
    expect(row?.csatScore).toBe(5);
  });

  it('groups a rating as it was given: the handedOff the rating recorded, else whether a person had the conversation', () => {
    const claimedFromTheAi = reportOfEvents([ev('conversation.created', 0), assigned(1, null, 'ana'), status(3, 'assigned', 'resolved'), ev('conversation.rated', 4, { score: 5 })]);
    expect(claimedFromTheAi?.csatHandedOff).toBe(true);
    const aiAlone = reportOfEvents([ev('conversation.created', 0), status(3, 'bot', 'resolved'), ev('conversation.rated', 4, { score: 3 })]);
    expect(aiAlone?.csatHandedOff).toBe(false);
    const recorded = reportOfEvents([ev('conversation.created', 0), status(3, 'bot', 'resolved'), ev('conversation.rated', 4, { score: 3, handedOff: true })]);
    expect(recorded?.csatHandedOff).toBe(true);
    // The figures take the rating's group: the claimed one is a handed-off rating, not lost between the two.
    const metrics = metricsOf([claimedFromTheAi!, aiAlone!]);
    expect(metrics.csat).toEqual({ handedOff: { average: 5, count: 1 }, aiOnly: { average: 3, count: 1 } });
  });

  it('counts SLA breaches and keeps the latest rating; other events change nothing', () => {
    const row = reportOfEvents([ev('conversation.created', 0), ev('sla.breached', 5), ev('message.noted', 6), ev('sla.breached', 9), ev('conversation.rated', 10, { score: 2 }), ev('conversation.rated', 11, { score: 4 })]);
    expect(row?.slaBreaches).toBe(2);
    expect(row?.csatScore).toBe(4);
    expect(reportOfEvents([ev('task.due', 0)])).toBeNull();
  });
});

describe('the figures of a group', () => {
  it('takes nearest-rank percentiles over every value', () => {
    expect(spreadRanks(1)).toEqual({ median: 1, p90: 1 });
    expect(spreadRanks(4)).toEqual({ median: 2, p90: 4 });
    expect(spreadRanks(10)).toEqual({ median: 5, p90: 9 });
    expect(spreadRanks(30)).toEqual({ median: 15, p90: 27 });
    expect(spreadOf([4000, 1000, 3000, 2000])).toEqual({ median: 2, p90: 4, count: 4 });
    expect(spreadOf([])).toEqual({ median: null, p90: null, count: 0 });
  });

  it('splits CSAT between handed-off and AI-only conversations', () => {
    const handed = reportOfEvents([ev('conversation.created', 0), handoff(1, 'x', 'r'), status(2, 'bot', 'resolved'), ev('conversation.rated', 3, { score: 3 })])!;
    const ai = reportOfEvents([ev('conversation.created', 0), status(2, 'bot', 'resolved'), ev('conversation.rated', 3, { score: 5 })])!;
    const m = metricsOf([handed, ai]);
    expect(m).toMatchObject({ conversations: 2, handoffs: 1, handoffRate: 0.5, aiResolved: 1, csat: { handedOff: { average: 3, count: 1 }, aiOnly: { average: 5, count: 1 } } });
  });
});

describe('the report range', () => {
  it('turns local dates into instants and local days across a daylight-saving change', () => {
    const range = reportRange('2026-03-28', '2026-03-30', 'Europe/Madrid');
    expect(range.fromMs).toBe(Date.parse('2026-03-28T00:00:00+01:00'));
    expect(range.toMs).toBe(Date.parse('2026-03-31T00:00:00+02:00'));
    expect(range.stretches).toEqual([
      { fromMs: range.fromMs, untilMs: Date.parse('2026-03-29T01:00:00Z'), offsetMs: 3_600_000 },
      { fromMs: Date.parse('2026-03-29T01:00:00Z'), untilMs: range.toMs, offsetMs: 7_200_000 },
    ]);
    expect(dayLabel(localDayNumber(range, Date.parse('2026-03-29T23:30:00+02:00')))).toBe('2026-03-29');
    expect(dayLabel(localDayNumber(range, Date.parse('2026-03-30T00:30:00+02:00')))).toBe('2026-03-30');
    expect(dayLabel(localDayNumber(range, Date.parse('2026-03-28T23:59:00+01:00')))).toBe('2026-03-28');
    expect(dayLabel(weekStartDay(localDayNumber(range, Date.parse('2026-03-29T12:00:00+02:00'))))).toBe('2026-03-23');
  });
});
