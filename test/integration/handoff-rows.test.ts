// SQLite only by nature: bench/handoff-rows.ts measures the SQLite ceiling, counted here in the SQLite file.
/**
 * The handoff benchmark's rows-only ceiling (bench/handoff-rows.ts) is quoted as the most any
 * server could do on this schema, so it must copy exactly what a live handoff leaves — no row
 * fewer (the ceiling would be too high), none more — and its copies must be real inserts into
 * the same indexes, under new ids.
 */
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { measureHandoffRows } from '../../bench/handoff-rows.js';
import { apiDeskWorkspaceYaml } from '../../bench/lib.js';
import { startTestApp } from '../support/test-app.js';

const TABLES = ['contacts', 'conversations', 'messages', 'conversation_events', 'notifications', 'outbox', 'stream_cursors', 'stream_events'] as const;
const HANDOFFS = 4;

function countRows(file: string): Record<string, number> {
  const db = new Sqlite(file, { readonly: true });
  try {
    return Object.fromEntries(TABLES.map((table) => [table, Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get())]));
  } finally {
    db.close();
  }
}

describe('the rows-only ceiling of the handoff benchmark', () => {
  it('copies exactly the rows live handoffs left, under new ids, in every variant', async () => {
    const t = await startTestApp('sqlite', { config: apiDeskWorkspaceYaml('Rows', 5) });
    try {
      const file = t.url.slice('sqlite:'.length);
      const before = countRows(file);
      const ids: string[] = [];
      for (let i = 0; i < HANDOFFS; i += 1) {
        const created = await t.request({
          method: 'POST',
          url: '/api/conversations',
          headers: t.admin,
          payload: { channel: 'api-in', contact: { name: `Rows ${i}` }, message: `My invoice #${i} is wrong` },
        });
        expect(created.statusCode).toBe(201);
        expect(created.data.conversation.status).toBe('assigned');
        ids.push(created.data.conversation.id as string);
      }
      await t.baton.outbox.drain();
      const live = countRows(file);
      const perHandoff = Object.fromEntries(TABLES.map((table) => [table, (live[table]! - before[table]!) / HANDOFFS]));
      expect(perHandoff.stream_events).toBeGreaterThan(0);

      const result = measureHandoffRows({ file, conversationIds: ids, seconds: 0.05, groupSize: 2 });
      expect(result.rowsPerTable).toEqual(perHandoff);

      const after = countRows(file);
      const publishedPerHandoff = 1; // the `conversation.published` outbox row
      for (const table of TABLES) {
        const expected = result.variants.reduce((sum, variant) => {
          if (variant.withStream) return sum + variant.handoffs * perHandoff[table]!;
          if (table === 'stream_events' || table === 'stream_cursors') return sum;
          return sum + variant.handoffs * (perHandoff[table]! - (table === 'outbox' ? publishedPerHandoff : 0));
        }, 0);
        expect({ table, inserted: after[table]! - live[table]! }).toEqual({ table, inserted: expected });
      }

      // New ids everywhere: the samples still have exactly their own rows, and every copy's
      // events belong to a conversation of their own.
      const db = new Sqlite(file, { readonly: true });
      try {
        for (const id of ids) {
          expect(Number(db.prepare('SELECT count(*) FROM conversation_events WHERE conversation_id = ?').pluck().get(id))).toBe(perHandoff.conversation_events);
          expect(Number(db.prepare('SELECT count(*) FROM stream_events WHERE conversation_id = ?').pluck().get(id))).toBeLessThanOrEqual(perHandoff.stream_events!);
        }
        const conversations = Number(db.prepare('SELECT count(*) FROM conversations').pluck().get());
        const distinctOwnersOfEvents = Number(db.prepare('SELECT count(DISTINCT conversation_id) FROM conversation_events').pluck().get());
        expect(distinctOwnersOfEvents).toBe(conversations);
        expect(Number(db.prepare('SELECT count(*) FROM pragma_foreign_key_check').pluck().get())).toBe(0);
      } finally {
        db.close();
      }
      expect(result.btreeEntriesPerHandoff).toBeGreaterThan(TABLES.reduce((sum, table) => sum + perHandoff[table]!, 0));
    } finally {
      await t.close();
    }
  });
});
