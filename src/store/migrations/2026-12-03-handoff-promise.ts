/**
 * The promise of a conversation's latest handoff — the wait in seconds and the place in line its
 * customer was told — in two columns of `conversations`, written by the handoff's own UPDATE
 * (services/handoff/decide-and-record-handoff.ts). The realtime publisher reads it for every customer whose place
 * moves in a line: ~100 per claim in a line of 1,000, each a JSON extraction from a ~5 KB trace
 * before. Backfilled from each conversation's latest `handoff.completed` event; null where that
 * trace had no such number, as reading the trace gave.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('promised_wait_seconds', 'double precision').execute();
  await db.schema.alterTable('conversations').addColumn('promised_at_position', 'double precision').execute();
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const field = (name: string): RawBuilder<number | null> =>
    pg ? sql<number | null>`(e.data::jsonb #>> ${`{trace,${name}}`})::float8` : sql<number | null>`json_extract(e.data, ${`$.trace.${name}`})`;
  const latest = (name: string): RawBuilder<number | null> =>
    sql<number | null>`(select ${field(name)} from conversation_events e
      where e.conversation_id = conversations.id and e.type = 'handoff.completed' order by e.seq desc limit 1)`;
  await sql`update conversations
    set promised_wait_seconds = ${latest('expectedWaitSeconds')}, promised_at_position = ${latest('queuePosition')}
    where handed_off_at is not null`.execute(db);
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('promised_at_position').execute();
  await db.schema.alterTable('conversations').dropColumn('promised_wait_seconds').execute();
}
