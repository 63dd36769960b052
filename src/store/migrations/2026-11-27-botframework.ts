/**
 * Bot Framework conversations: which Baton conversation a Bot
 * Framework conversation was handed off into, and where to send it `handoff.status` and the
 * agents' replies (the activity's `serviceUrl`). Frozen in time: `Kysely<any>`, no
 * imports from src/, forward only.
 *
 * A table rather than conversation properties: properties are scalars that rules read and agents
 * edit (PATCH), while this is delivery state an agent must not change; and "one Baton
 * conversation per Bot Framework conversation" is a unique constraint, which only a column holds
 * under concurrent `handoff.initiate` requests (RC #38148: two open rooms per visitor).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations must not depend on today's DB type
type AnyKysely = Kysely<any>;

export async function up(db: AnyKysely): Promise<void> {
  await db.schema
    .createTable('botframework_conversations')
    // The Baton conversation. No foreign key: the link row is written first, with the id the
    // conversation is then created with, so that a concurrent duplicate loses on the unique key
    // below before it creates anything (PostgreSQL checks foreign keys at once).
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    // The Baton channel of the endpoint (`POST /api/bots/botframework/{channel}`).
    .addColumn('channel_id', 'text', (c) => c.notNull())
    // `activity.conversation.id`: unique per Baton channel.
    .addColumn('bf_conversation_id', 'text', (c) => c.notNull())
    // `activity.channelId` (`directline`, `msteams`, …).
    .addColumn('bf_channel_id', 'text')
    .addColumn('service_url', 'text', (c) => c.notNull())
    // JSON ChannelAccount of the bot (`relatesTo.bot` or `recipient`), the recipient of what Baton sends.
    .addColumn('bot_account', 'text')
    // The `handoff.initiate` activity ids already answered (JSON array): a re-sent one changes nothing.
    .addColumn('initiate_activity_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('botframework_conversations_bf_unique', ['channel_id', 'bf_conversation_id'])
    .execute();
}

export async function down(db: AnyKysely): Promise<void> {
  await db.schema.dropTable('botframework_conversations').execute();
}
