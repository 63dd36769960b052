/**
 * One report row per conversation (issue 18): what the handoff report counts of it — when it
 * started, its first handoff (trigger, rule, team, queue), its last human owner, reassignments,
 * first human response, time queued, resolution, SLA breaches, rating — kept in the transaction
 * that appends its events (store/repositories/report-rows.ts), so a report over a million
 * conversations reads a million narrow rows instead of scanning tens of millions of events.
 *
 * The backfill folds the events of every existing conversation with the definitions of the day
 * of this migration (a frozen copy of core/reports/conversation-report.ts as it was; the
 * migration's test holds the two to the same rows), a page of conversations at a time, under
 * the migrator's lock at start-up, before this process serves anything.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

const PAGE = 500;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema
    .createTable('report_rows')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('handed_off_at', 'bigint')
    .addColumn('trigger', 'text')
    .addColumn('rule', 'text')
    .addColumn('team_id', 'text')
    .addColumn('queue_id', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('reassignments', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_response_ms', 'bigint')
    .addColumn('queue_wait_ms', 'bigint')
    .addColumn('queued_since', 'bigint')
    .addColumn('status', 'text')
    .addColumn('resolution_ms', 'bigint')
    .addColumn('sla_breaches', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('csat_score', 'integer')
    .addColumn('csat_handed_off', 'integer')
    .execute();
  await db.schema.createIndex('report_rows_started_idx').on('report_rows').column('started_at').execute();

  let after = '';
  for (;;) {
    const conversations: { id: string; contact_id: string; channel_id: string }[] = await db
      .selectFrom('conversations')
      .select(['id', 'contact_id', 'channel_id'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (conversations.length === 0) break;
    after = conversations[conversations.length - 1]!.id;
    const events: EventRow[] = await db
      .selectFrom('conversation_events')
      .select(['conversation_id', 'type', 'data', 'team_id', 'queue_id', 'created_at'])
      .where(
        'conversation_id',
        'in',
        conversations.map((c) => c.id),
      )
      .where('type', 'in', [...TYPES])
      .orderBy('conversation_id')
      .orderBy('seq')
      .execute();
    const byConversation = new Map<string, EventRow[]>();
    for (const event of events) byConversation.set(event.conversation_id, [...(byConversation.get(event.conversation_id) ?? []), event]);
    const rows = conversations.flatMap((c) => {
      const r = (byConversation.get(c.id) ?? []).reduce<Row | null>(fold, null);
      return r === null
        ? []
        : [
            {
              conversation_id: c.id,
              contact_id: c.contact_id,
              channel_id: c.channel_id,
              started_at: r.startedAt,
              handed_off_at: r.handedOffAt,
              trigger: r.trigger,
              rule: r.rule,
              team_id: r.teamId,
              queue_id: r.queueId,
              agent_id: r.agentId,
              reassignments: r.reassignments,
              first_response_ms: r.firstResponseMs,
              queue_wait_ms: r.queueWaitMs,
              queued_since: r.queuedSince,
              status: r.status,
              resolution_ms: r.resolutionMs,
              sla_breaches: r.slaBreaches,
              csat_score: r.csatScore,
              csat_handed_off: r.csatHandedOff === null ? null : r.csatHandedOff ? 1 : 0,
            },
          ];
    });
    for (let i = 0; i < rows.length; i += 50) await db.insertInto('report_rows').values(rows.slice(i, i + 50)).execute();
  }
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropTable('report_rows').execute();
}

// ── the definitions of 2026-12-09, frozen ──────────────────────────────────────────────────────

interface EventRow {
  conversation_id: string;
  type: string;
  data: string;
  team_id: string | null;
  queue_id: string | null;
  created_at: number | string;
}

interface Row {
  startedAt: number;
  handedOffAt: number | null;
  trigger: string | null;
  rule: string | null;
  teamId: string | null;
  queueId: string | null;
  agentId: string | null;
  reassignments: number;
  firstResponseMs: number | null;
  queueWaitMs: number | null;
  queuedSince: number | null;
  status: string | null;
  resolutionMs: number | null;
  slaBreaches: number;
  csatScore: number | null;
  csatHandedOff: boolean | null;
}

const TYPES = new Set(['conversation.created', 'handoff.completed', 'conversation.assigned', 'conversation.status_changed', 'sla.stopped', 'sla.breached', 'conversation.rated']);

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function parse(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function fold(row: Row | null, event: EventRow): Row | null {
  if (!TYPES.has(event.type)) return row;
  const at = Number(event.created_at);
  const r: Row = row ?? {
    startedAt: at,
    handedOffAt: null,
    trigger: null,
    rule: null,
    teamId: null,
    queueId: null,
    agentId: null,
    reassignments: 0,
    firstResponseMs: null,
    queueWaitMs: null,
    queuedSince: null,
    status: null,
    resolutionMs: null,
    slaBreaches: 0,
    csatScore: null,
    csatHandedOff: null,
  };
  const data = parse(event.data);
  switch (event.type) {
    case 'handoff.completed': {
      if (r.handedOffAt !== null) return r;
      const trace = (data.trace ?? {}) as Record<string, unknown>;
      return { ...r, handedOffAt: at, trigger: text(trace.trigger), rule: text(trace.rule), teamId: event.team_id, queueId: event.queue_id };
    }
    case 'conversation.assigned': {
      const to = text(data.to);
      if (to === null || to === r.agentId) return r;
      return { ...r, agentId: to, reassignments: r.reassignments + (r.agentId === null ? 0 : 1) };
    }
    case 'conversation.status_changed': {
      const from = text(data.from);
      const to = text(data.to);
      const next: Row = { ...r, status: to };
      if (from === 'queued' && to !== 'queued' && r.queuedSince !== null) {
        next.queueWaitMs = (r.queueWaitMs ?? 0) + (at - r.queuedSince);
        next.queuedSince = null;
      }
      if (to === 'queued' && next.queuedSince === null) next.queuedSince = at;
      if (to === 'resolved') next.resolutionMs = at - r.startedAt;
      else if (to !== 'closed') next.resolutionMs = null;
      return next;
    }
    case 'sla.stopped':
      return r.handedOffAt === null || r.firstResponseMs !== null ? r : { ...r, firstResponseMs: at - r.handedOffAt };
    case 'sla.breached':
      return { ...r, slaBreaches: r.slaBreaches + 1 };
    case 'conversation.rated': {
      if (typeof data.score !== 'number') return r;
      // As core/csat.ts csatGroupOf reads it, when the rating did not record its group.
      const handedOff = typeof data.handedOff === 'boolean' ? data.handedOff : r.handedOffAt !== null || r.firstResponseMs !== null || r.agentId !== null;
      return { ...r, csatScore: data.score, csatHandedOff: handedOff };
    }
    default:
      return r;
  }
}
