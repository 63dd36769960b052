/**
 * The report's one read (store/repositories/report-rows.ts `readReport`) against the reference
 * (core/reports/handoff-metrics.ts `metricsOf`): random report rows — durations drawn from small
 * pools so values repeat, groups of every size including multiples of ten (where a p90 computed as
 * 0.9·n in floating point lands on the wrong rank), test contacts, filters, ranges across a
 * daylight-saving change — and every grouping's groups and totals must be exactly the reference's,
 * on SQLite (on the worker thread and on the calling thread) and on PostgreSQL.
 *
 * Fixed seed, so CI is reproducible; fast-check prints the seed and path of a counterexample.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { metricsFromParts, metricsOf, type HandoffMetrics } from '../../src/core/reports/handoff-metrics.js';
import { localDayNumber, reportRange, weekStartDay } from '../../src/core/reports/report-range.js';
import { withTransaction, type Database } from '../../src/store/database.js';
import { insertReportRows, readReport, type ReportDimension, type ReportFigures, type ReportRowRecord } from '../../src/store/repositories/report-rows.js';
import { eachDialect, openTestDatabase, type TestDatabase } from '../support/test-app.js';

const ZONE = 'Europe/Madrid';
const FROM = '2026-03-20';
const TO = '2026-04-05';
const RANGE = reportRange(FROM, TO, ZONE);
const CONTACTS = ['k1', 'k2', 'k3', 'k4'];
const TEST_CONTACTS = new Set(['k4']);
const GROUPINGS: readonly ReportDimension[] = ['channel', 'team', 'queue', 'agent', 'rule', 'trigger', 'day', 'week'];

const duration = fc.option(fc.oneof(fc.constantFrom(0, 1_000, 1_500, 60_000, 90_001), fc.integer({ min: 0, max: 9_000_000 })), { nil: null, freq: 3 });
const row = fc.record({
  startedAt: fc.integer({ min: RANGE.fromMs - 2 * 86_400_000, max: RANGE.toMs + 2 * 86_400_000 }),
  contactId: fc.constantFrom(...CONTACTS),
  channelId: fc.constantFrom('web', 'email'),
  handed: fc.boolean(),
  trigger: fc.constantFrom('customer_requested_human', 'sla_breach'),
  rule: fc.option(fc.constantFrom('r1', 'r2'), { nil: null }),
  teamId: fc.option(fc.constantFrom('t1', 't2'), { nil: null }),
  queueId: fc.option(fc.constantFrom('q1', 'q2'), { nil: null }),
  agentId: fc.option(fc.constantFrom('ana', 'olu'), { nil: null }),
  reassignments: fc.nat({ max: 3 }),
  firstResponseMs: duration,
  queueWaitMs: duration,
  resolutionMs: duration,
  slaBreaches: fc.nat({ max: 2 }),
  csat: fc.option(fc.record({ score: fc.integer({ min: 1, max: 5 }), handedOff: fc.boolean() }), { nil: null }),
});
/** Sometimes many rows in one group, so groups of 10, 20, 30 … values come up. */
const rows = fc.oneof(fc.array(row, { maxLength: 40 }), fc.array(row, { minLength: 60, maxLength: 160 }));
const filters = fc.record({
  includeTest: fc.boolean(),
  channelId: fc.option(fc.constantFrom('web', 'email'), { nil: undefined }),
  agentId: fc.option(fc.constantFrom('ana', 'olu'), { nil: undefined }),
});

type Drawn = typeof row extends fc.Arbitrary<infer R> ? R : never;

function records(drawn: readonly Drawn[]): ReportRowRecord[] {
  return drawn.map((r, i) => ({
    conversationId: `c${i}`,
    contactId: r.contactId,
    channelId: r.channelId,
    startedAt: r.startedAt,
    handedOffAt: r.handed ? r.startedAt + 1_000 : null,
    trigger: r.handed ? r.trigger : null,
    rule: r.handed ? r.rule : null,
    teamId: r.handed ? r.teamId : null,
    queueId: r.handed ? r.queueId : null,
    agentId: r.agentId,
    reassignments: r.reassignments,
    firstResponseMs: r.handed ? r.firstResponseMs : null,
    queueWaitMs: r.queueWaitMs,
    queuedSince: null,
    status: r.resolutionMs === null ? 'assigned' : 'resolved',
    resolutionMs: r.resolutionMs,
    slaBreaches: r.slaBreaches,
    csatScore: r.csat?.score ?? null,
    csatHandedOff: r.csat === null ? null : r.csat.handedOff,
  }));
}

function keyOf(groupBy: ReportDimension, r: ReportRowRecord): string | null {
  switch (groupBy) {
    case 'channel':
      return r.channelId;
    case 'team':
      return r.teamId;
    case 'queue':
      return r.queueId;
    case 'agent':
      return r.agentId;
    case 'rule':
      return r.rule;
    case 'trigger':
      return r.trigger;
    case 'day':
      return String(localDayNumber(RANGE, r.startedAt));
    case 'week':
      return String(weekStartDay(localDayNumber(RANGE, r.startedAt)));
    case 'total':
      return null;
  }
}

function metricsOfFigures(f: ReportFigures): HandoffMetrics {
  return metricsFromParts(f, {
    ...(f.firstResponse === undefined ? {} : { firstResponse: f.firstResponse }),
    ...(f.queueWait === undefined ? {} : { queueWait: f.queueWait }),
    ...(f.resolution === undefined ? {} : { resolution: f.resolution }),
  });
}

eachDialect('the report read', (dialect) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await openTestDatabase(dialect, { checks: false });
    await withTransaction(t.database.db, (trx) =>
      trx
        .insertInto('contacts')
        .values(CONTACTS.map((id) => ({ id, properties: '{}', is_test: TEST_CONTACTS.has(id) ? 1 : 0, created_at: 0, updated_at: 0 })))
        .execute(),
    );
  });
  afterAll(async () => {
    await t.drop();
  });

  it('answers exactly what metricsOf makes of the rows, for every grouping, its groups and its totals', async () => {
    await fc.assert(
      fc.asyncProperty(rows, filters, async (drawn, f) => {
        const stored = records(drawn);
        await withTransaction(t.database.db, async (trx) => {
          await trx.deleteFrom('report_rows').execute();
          await insertReportRows(trx, stored);
        });
        const picked = stored.filter(
          (r) =>
            r.startedAt >= RANGE.fromMs &&
            r.startedAt < RANGE.toMs &&
            (f.includeTest || !TEST_CONTACTS.has(r.contactId)) &&
            (f.channelId === undefined || r.channelId === f.channelId) &&
            (f.agentId === undefined || r.agentId === f.agentId),
        );
        // SQLite: the worker's read and the calling thread's read of the same query.
        const databases: Database[] = dialect === 'sqlite' ? [t.database, { ...t.database, offThread: undefined }] : [t.database];
        for (const database of databases) {
          for (const groupBy of GROUPINGS) {
            const answer = await readReport(database, {
              dialect,
              range: RANGE,
              groupBy,
              includeTest: f.includeTest,
              ...(f.channelId === undefined ? {} : { channelId: f.channelId }),
              ...(f.agentId === undefined ? {} : { agentId: f.agentId }),
            });
            const expected = new Map<string | null, ReportRowRecord[]>();
            for (const r of picked) expected.set(keyOf(groupBy, r), [...(expected.get(keyOf(groupBy, r)) ?? []), r]);
            const got = new Map(answer.groups.map((g) => [g.key, metricsOfFigures(g)]));
            expect(new Set(got.keys()), groupBy).toEqual(new Set(expected.keys()));
            for (const [key, members] of expected) expect(got.get(key), `${groupBy} ${key}`).toEqual(metricsOf(members));
            expect(metricsOfFigures(answer.totals), `${groupBy} totals`).toEqual(metricsOf(picked));
          }
        }
      }),
      { numRuns: dialect === 'sqlite' ? 40 : 25, seed: 18_10 },
    );
  }, 600_000);
});
