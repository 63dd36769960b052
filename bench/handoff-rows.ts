/**
 * The ceiling a handoff's own rows put on the handoff rate: how many handoffs per second SQLite
 * commits when it only has to insert, with prepared statements and nothing else, exactly the
 * rows that real handoffs left behind — no HTTP, no JSON parsing, no decision, no reads, no
 * updates, no Kysely, no Baton code.
 *
 * The benchmark handoff phase leaves, per conversation: the contact, the conversation (in its
 * final state), the customer's message, its conversation events (the handoff's carrying the
 * whole trace), its outbox rows, the in-app notification, and the realtime stream's rows and
 * cursor. This takes those rows of a sample of conversations from the benchmark's own file,
 * after the server has closed, and inserts copies of them into the same file: every id of the
 * sample (conversation, contact, message, events, outbox rows, notification) is replaced
 * wherever it occurs (keys, foreign keys, JSON payloads, idempotency keys) by a new UUID v7, the
 * stream's global `seq` continues from its maximum, so every copy lands in the same indexes with
 * the same uniqueness checks as the original. A copy is "one handoff".
 *
 * It is an upper bound for the live path, on purpose generous: the live path also reads (the
 * conversation, the workspace heads, the agents' states), updates (the conversation after its
 * insert, per-conversation counters, open loads, last assignment), runs the outbox worker's
 * claim and completion, and writes the stream in a second transaction; none of that is here.
 *
 * Variants, each its own timed run on the same file:
 * - every row, committed in groups of `groupSize` handoffs (the live group commit's mean group
 *   size is about 16 under the benchmark's 32 requests in flight) and one handoff per commit;
 * - without the realtime stream's rows (`stream_events`, `stream_cursors` and the
 *   `conversation.published` outbox row): what remains is what issue 2 itself names (contact,
 *   conversation, message, the event log with the trace, the outbox, the notification record);
 * - every row with `synchronous = NORMAL` (no fsync at commit): whether the disk or the CPU
 *   sets the ceiling. On this machine (2026-11-26) the two were within noise at 16 handoffs per
 *   commit: it is the CPU of the B-tree inserts (~80 index entries per handoff), not the fsync.
 */
import Database from 'better-sqlite3';
import { uuidv7 } from '../src/platform/runtime.js';
import { round } from './lib.js';

/** Tables a handoff inserts into, in foreign-key order. */
const TABLES = ['contacts', 'conversations', 'messages', 'conversation_events', 'notifications', 'outbox', 'stream_cursors', 'stream_events'] as const;
type Table = (typeof TABLES)[number];
const STREAM_TABLES: ReadonlySet<Table> = new Set(['stream_cursors', 'stream_events']);
const STREAM_OUTBOX_KINDS: ReadonlySet<string> = new Set(['conversation.published', 'event.published', 'message.published']);

type Row = Record<string, unknown>;

interface Template {
  /** Rows per table, as read (one handoff's worth). */
  readonly rows: ReadonlyMap<Table, readonly Row[]>;
  /** Every id of the sample that copies must replace. */
  readonly ids: readonly string[];
}

export interface RowsVariant {
  readonly name: string;
  readonly groupSize: number;
  readonly withStream: boolean;
  readonly synchronous: 'FULL' | 'NORMAL';
  readonly handoffs: number;
  readonly seconds: number;
  readonly handoffsPerSecond: number;
  /** Rows and bytes of column data inserted per handoff. */
  readonly rowsPerHandoff: number;
  readonly bytesPerHandoff: number;
}

export interface RowsCeiling {
  readonly sampleConversations: number;
  readonly rowsPerTable: Record<string, number>;
  /** B-trees per table (the table and each index, partial ones included): the entries a row costs. */
  readonly btreesPerTable: Record<string, number>;
  /** Σ rows × B-trees: index entries written per handoff (partial indexes counted as written). */
  readonly btreeEntriesPerHandoff: number;
  readonly variants: readonly RowsVariant[];
}

export interface RowsCeilingOptions {
  /** The benchmark's SQLite file, with the server closed. */
  readonly file: string;
  /** Conversations whose rows are copied (each a handoff the benchmark made). */
  readonly conversationIds: readonly string[];
  /** Seconds per variant. */
  readonly seconds: number;
  /** Handoffs per commit in the grouped variants. */
  readonly groupSize: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Draft {
  readonly rows: Map<Table, Row[]>;
  readonly ids: Set<string>;
}

function readDraft(db: Database.Database, conversationId: string): Draft {
  const conversation = db.prepare('SELECT * FROM conversations WHERE id = ?').get(conversationId) as Row | undefined;
  if (conversation === undefined) throw new Error(`conversation ${conversationId} not found`);
  const contactId = String(conversation.contact_id);
  const byConversation = (table: Table): Row[] => db.prepare(`SELECT * FROM ${table} WHERE conversation_id = ?`).all(conversationId) as Row[];
  const rows = new Map<Table, Row[]>([
    ['contacts', db.prepare('SELECT * FROM contacts WHERE id = ?').all(contactId) as Row[]],
    ['conversations', [conversation]],
    ['messages', byConversation('messages')],
    ['conversation_events', byConversation('conversation_events')],
    ['notifications', byConversation('notifications')],
    ['outbox', []],
    ['stream_cursors', byConversation('stream_cursors')],
    ['stream_events', byConversation('stream_events')],
  ]);
  const ids = new Set<string>([conversationId, contactId]);
  for (const table of ['messages', 'conversation_events', 'notifications'] as const) {
    for (const row of rows.get(table) ?? []) ids.add(String(row.id));
  }
  return { rows, ids };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * Each sample conversation's rows. Outbox rows name what they are about in their payload or
 * idempotency key (the conversation, or one of its records: the in-app notification job names
 * the event it notifies of), so the outbox is read once and each row goes to the sample whose
 * id it names first.
 */
function readTemplates(db: Database.Database, conversationIds: readonly string[]): Template[] {
  const drafts = conversationIds.map((id) => readDraft(db, id));
  const owner = new Map<string, Draft>();
  for (const draft of drafts) for (const id of draft.ids) owner.set(id, draft);
  const outboxIds: [Draft, string][] = [];
  for (const row of db.prepare('SELECT * FROM outbox').iterate() as IterableIterator<Row>) {
    const text = `${String(row.idempotency_key)} ${String(row.payload)}`;
    for (const [id] of text.matchAll(UUID)) {
      const draft = owner.get(id);
      if (draft === undefined) continue;
      draft.rows.get('outbox')!.push(row);
      outboxIds.push([draft, String(row.id)]);
      break;
    }
  }
  for (const [draft, id] of outboxIds) draft.ids.add(id);
  return drafts.map((draft) => ({ rows: draft.rows, ids: [...draft.ids] }));
}

export function measureHandoffRows(options: RowsCeilingOptions): RowsCeiling {
  const db = new Database(options.file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    db.pragma('busy_timeout = 5000');
    const templates = readTemplates(db, options.conversationIds);
    if (templates.length === 0) throw new Error('no sample conversations');

    const columns = new Map<Table, string[]>();
    const inserts = new Map<Table, Database.Statement>();
    for (const table of TABLES) {
      const names = (db.prepare(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`).pluck().all() as string[]);
      columns.set(table, names);
      inserts.set(table, db.prepare(`INSERT INTO ${table} (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`));
    }
    const rowsPerTable: Record<string, number> = {};
    for (const table of TABLES) {
      rowsPerTable[table] = round(templates.reduce((sum, t) => sum + (t.rows.get(table)?.length ?? 0), 0) / templates.length, 2);
    }
    const btreesPerTable: Record<string, number> = {};
    let btreeEntriesPerHandoff = 0;
    for (const table of TABLES) {
      btreesPerTable[table] = 1 + Number(db.prepare(`SELECT count(*) FROM pragma_index_list('${table}')`).pluck().get());
      btreeEntriesPerHandoff += btreesPerTable[table] * rowsPerTable[table]!;
    }
    let seq = Number(db.prepare('SELECT coalesce(max(seq), 0) FROM stream_events').pluck().get());
    const begin = db.prepare('BEGIN IMMEDIATE');
    const commit = db.prepare('COMMIT');

    /** One copy of a template, as (statement, values) pairs in insert order. */
    function copyOf(template: Template, withStream: boolean): { statement: Database.Statement; values: unknown[] }[] {
      const now = Date.now();
      const fresh = new Map(template.ids.map((id) => [id, uuidv7(now)]));
      const pattern = new RegExp(template.ids.map(escapeRegExp).join('|'), 'g');
      const swap = (value: unknown): unknown => (typeof value === 'string' ? value.replace(pattern, (old) => fresh.get(old)!) : value);
      const out: { statement: Database.Statement; values: unknown[] }[] = [];
      for (const table of TABLES) {
        if (!withStream && STREAM_TABLES.has(table)) continue;
        const statement = inserts.get(table)!;
        const names = columns.get(table)!;
        for (const row of template.rows.get(table) ?? []) {
          if (!withStream && table === 'outbox' && STREAM_OUTBOX_KINDS.has(String(row.kind))) continue;
          out.push({ statement, values: names.map((name) => (table === 'stream_events' && name === 'seq' ? (seq += 1) : swap(row[name]))) });
        }
      }
      return out;
    }

    const variants: RowsVariant[] = [];
    const group = options.groupSize;
    const plan = [
      { name: `every row, ${group} handoffs per commit`, groupSize: group, withStream: true, synchronous: 'FULL' },
      { name: 'every row, one handoff per commit', groupSize: 1, withStream: true, synchronous: 'FULL' },
      { name: `without the realtime stream's rows, ${group} handoffs per commit`, groupSize: group, withStream: false, synchronous: 'FULL' },
      { name: `every row, ${group} handoffs per commit, synchronous=NORMAL (no fsync at commit)`, groupSize: group, withStream: true, synchronous: 'NORMAL' },
    ] as const;
    for (const variant of plan) {
      db.pragma(`synchronous = ${variant.synchronous}`);
      db.pragma('wal_checkpoint(TRUNCATE)');
      // Only SQLite's part is timed (BEGIN to COMMIT returned); the copies are made before.
      const budget = options.seconds * 1e9;
      let handoffs = 0;
      let rows = 0;
      let bytes = 0;
      let next = 0;
      let timed = 0;
      while (timed < budget) {
        const group = [];
        for (let i = 0; i < variant.groupSize; i += 1) group.push(...copyOf(templates[next++ % templates.length]!, variant.withStream));
        const before = process.hrtime.bigint();
        begin.run();
        for (const { statement, values } of group) statement.run(values);
        commit.run();
        timed += Number(process.hrtime.bigint() - before);
        handoffs += variant.groupSize;
        rows += group.length;
        for (const { values } of group) for (const value of values) bytes += typeof value === 'string' ? Buffer.byteLength(value) : 8;
      }
      variants.push({
        ...variant,
        handoffs,
        seconds: round(timed / 1e9, 3),
        handoffsPerSecond: Math.round(handoffs / (timed / 1e9)),
        rowsPerHandoff: round(rows / handoffs, 2),
        bytesPerHandoff: Math.round(bytes / handoffs),
      });
    }
    return { sampleConversations: templates.length, rowsPerTable, btreesPerTable, btreeEntriesPerHandoff: round(btreeEntriesPerHandoff, 1), variants };
  } finally {
    db.close();
  }
}
