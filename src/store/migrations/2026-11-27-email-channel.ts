/**
 * The email channel: every RFC 5322 Message-ID Baton received or sent, and the
 * conversation it belongs to. The primary key is what makes "the same email delivered twice is
 * stored once" hold under concurrent deliveries (an MX retrying while the first delivery is still
 * being written), and what threads a customer's reply (In-Reply-To / References) into its
 * conversation. A table of its own rather than a unique index on `messages.external_id`, which
 * other channels (Bot Framework activity ids) share and need not be unique across.
 * Frozen in time: `Kysely<any>`, no imports from src/.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema
    .createTable('email_messages')
    // As written in the header, angle brackets included (ids compare exactly, RFC 5322 §3.6.4).
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    // messages.id of the stored message.
    .addColumn('message_row_id', 'text', (c) => c.notNull())
    // `inbound` (from the customer) or `outbound` (a reply Baton sent).
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_messages_conversation_idx').on('email_messages').columns(['conversation_id', 'created_at']).execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropTable('email_messages').execute();
}
