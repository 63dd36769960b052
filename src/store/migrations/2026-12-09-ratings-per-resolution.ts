/**
 * CSAT per resolution (issue 18): a conversation can be resolved, reopened and resolved again, and
 * each resolution is rated once.
 *
 * - `ratings`: one row per (conversation, resolution), the resolution named by the seq of the
 *   `conversation.status_changed` event that resolved it; the unique key refuses a second rating
 *   of the same resolution. `handed_off` says whether a person had the conversation (reports split
 *   CSAT handed-off vs AI-only), `source` how the customer answered (widget, email, api).
 * - `rating_links`: the rating page's single-use links sent with an email conversation's
 *   resolution; only the SHA-256 of the 256-bit token is stored, as for invitations.
 * - `conversations.resolution_seq`: the event seq of its latest resolution; `csat_resolution_seq`:
 *   the resolution its latest rating (`csat_score`, `csat_comment`) belongs to. The two equal:
 *   this resolution is rated.
 *
 * Backfill: every `conversation.rated` event before this migration becomes the rating of the
 * resolution it followed (the latest one of a resolution wins: a rating could be changed then);
 * a score on a conversation without such an event is kept as the rating of its latest resolution.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

interface Rated {
  score: number;
  comment: string | null;
  handedOff: boolean;
  actor: string | null;
  at: number;
}

function dataOf(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(String(value));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const PAGE = 500;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('resolution_seq', 'integer').execute();
  await db.schema.alterTable('conversations').addColumn('csat_resolution_seq', 'integer').execute();
  await db.schema
    .createTable('ratings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('resolution_seq', 'integer', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('handed_off', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('ratings_conversation_resolution_key', ['conversation_id', 'resolution_seq'])
    .execute();
  await db.schema.createIndex('ratings_created_idx').on('ratings').column('created_at').execute();
  await db.schema
    .createTable('rating_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('resolution_seq', 'integer', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addUniqueConstraint('rating_links_conversation_resolution_key', ['conversation_id', 'resolution_seq'])
    .execute();

  // Backfill, a page of conversations at a time (those ever resolved or rated).
  let after = '';
  for (;;) {
    const conversations = (await db
      .selectFrom('conversations')
      .select(['id', 'csat_score', 'csat_comment', 'handed_off_at', 'updated_at'])
      .where('id', '>', after)
      .where((eb) => eb.or([eb('resolved_at', 'is not', null), eb('csat_score', 'is not', null), eb('status', 'in', ['resolved', 'closed'])]))
      .orderBy('id')
      .limit(PAGE)
      .execute()) as { id: string; csat_score: number | null; csat_comment: string | null; handed_off_at: number | null; updated_at: number }[];
    if (conversations.length === 0) break;
    after = conversations[conversations.length - 1]!.id;
    const events = (await db
      .selectFrom('conversation_events')
      .select(['conversation_id', 'seq', 'type', 'actor', 'data', 'created_at'])
      .where(
        'conversation_id',
        'in',
        conversations.map((c) => c.id),
      )
      .where('type', 'in', ['conversation.status_changed', 'conversation.rated'])
      .orderBy('conversation_id')
      .orderBy('seq')
      .execute()) as { conversation_id: string; seq: number; type: string; actor: string | null; data: unknown; created_at: number }[];
    const byConversation = new Map<string, typeof events>();
    for (const event of events) {
      const list = byConversation.get(event.conversation_id) ?? [];
      list.push(event);
      byConversation.set(event.conversation_id, list);
    }
    for (const conversation of conversations) {
      let resolution: number | null = null;
      const ratings = new Map<number, Rated>();
      let latestRated: number | null = null;
      for (const event of byConversation.get(conversation.id) ?? []) {
        const data = dataOf(event.data);
        if (event.type === 'conversation.status_changed' && data.to === 'resolved') resolution = Number(event.seq);
        if (event.type === 'conversation.rated' && typeof data.score === 'number') {
          const key = resolution ?? 0;
          ratings.set(key, {
            score: data.score,
            comment: typeof data.comment === 'string' ? data.comment : null,
            handedOff: data.handedOff === true,
            actor: event.actor,
            at: Number(event.created_at),
          });
          latestRated = key;
        }
      }
      if (latestRated === null && conversation.csat_score !== null) {
        latestRated = resolution ?? 0;
        ratings.set(latestRated, {
          score: Number(conversation.csat_score),
          comment: conversation.csat_comment,
          handedOff: conversation.handed_off_at !== null,
          actor: null,
          at: Number(conversation.updated_at),
        });
      }
      for (const [seq, rated] of ratings) {
        await db
          .insertInto('ratings')
          .values({
            id: `migrated-${conversation.id}-${seq}`,
            conversation_id: conversation.id,
            resolution_seq: seq,
            score: rated.score,
            comment: rated.comment,
            handed_off: rated.handedOff ? 1 : 0,
            source: rated.actor?.startsWith('contact:') === true ? 'widget' : 'api',
            actor: rated.actor,
            created_at: rated.at,
          })
          .execute();
      }
      await db
        .updateTable('conversations')
        .set({ resolution_seq: resolution, csat_resolution_seq: latestRated })
        .where('id', '=', conversation.id)
        .execute();
    }
  }
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropTable('rating_links').execute();
  await db.schema.dropTable('ratings').execute();
  await db.schema.alterTable('conversations').dropColumn('csat_resolution_seq').execute();
  await db.schema.alterTable('conversations').dropColumn('resolution_seq').execute();
}
