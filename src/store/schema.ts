import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The database as Kysely sees it. Conventions, identical on SQLite and PostgreSQL:
 * - instants are epoch milliseconds in `bigint` columns (the pg pool parses int8 as number);
 * - JSON is `text` (mappers parse and serialize);
 * - booleans are integer 0/1;
 * - ids are text, per-conversation sequences are integers.
 *
 * This file describes the *current* schema. Migrations never import it: they are frozen in
 * time and speak `Kysely<any>`.
 */

/** Text holding JSON. A type alias only, so that column declarations say what the text holds. */
export type JsonText = string;
/** 0 or 1. */
export type IntBool = number;
/** Epoch milliseconds. */
export type EpochMs = number;

export interface ConfigRevisionTable {
  id: Generated<number>;
  document: JsonText;
  actor: string | null;
  summary: string | null;
  created_at: EpochMs;
}

export interface RulesetVersionTable {
  version: number;
  ruleset: JsonText;
  summary: string | null;
  author: string | null;
  created_at: EpochMs;
  reviewed_at: EpochMs | null;
  /** Who marked it reviewed last (migration 2026-12-09-ruleset-reviewer). */
  reviewed_by: string | null;
}

export interface RulesetDraftTable {
  /** Always 1: there is one draft. */
  id: number;
  ruleset: JsonText;
  updated_by: string | null;
  updated_at: EpochMs;
}

export interface UserStateTable {
  user_id: string;
  /** null: the user's initial status from the workspace document applies. */
  status: string | null;
  status_changed_at: EpochMs | null;
  last_assigned_at: EpochMs | null;
  password_hash: string | null;
}

/**
 * Open load: how many conversations `user_id` owns in an open status (`assigned`,
 * `waiting_on_customer`) on `channel_type`. Written only by ./repositories/assignments.ts, in the
 * transaction that changes the owner or status; a row at 0 stays.
 */
export interface OpenLoadTable {
  user_id: string;
  channel_type: string;
  open: number;
}

/**
 * One row (id 1): a random token that changes with every write to the agent states a routing
 * decision reads (`user_state` status and last assignment, `open_loads`), and the one it
 * replaced. Lets SQLite keep those states in memory (repositories/agent-state-rows.ts).
 */
export interface AgentStatesHeadTable {
  id: number;
  prev: string | null;
  token: string;
}

export interface ApiTokenTable {
  id: string;
  /** null: a workspace-level integration token acting as nobody in particular. */
  user_id: string | null;
  name: string;
  token_hash: string;
  scopes: JsonText;
  /** A bot token's channels (JSON array); null for other tokens. */
  channels: JsonText | null;
  created_at: EpochMs;
  last_used_at: EpochMs | null;
  revoked_at: EpochMs | null;
}

export interface SessionTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: EpochMs;
  expires_at: EpochMs;
}

/** Customer (widget / in-app) sessions: reach only their contact's conversations. */
export interface WidgetSessionTable {
  id: string;
  contact_id: string;
  channel_id: string;
  token_hash: string;
  created_at: EpochMs;
  expires_at: EpochMs;
}

export interface ContactTable {
  id: string;
  external_id: string | null;
  name: string | null;
  email: string | null;
  language: string | null;
  timezone: string | null;
  /** Account manager. */
  owner_id: string | null;
  /** Last human owner of one of the contact's conversations, for stickiness. */
  last_owner_id: string | null;
  properties: JsonText;
  is_test: IntBool;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface ConversationTable {
  id: string;
  channel_id: string;
  channel_type: string;
  contact_id: string;
  status: string;
  owner_id: string | null;
  team_id: string | null;
  queue_id: string | null;
  priority: string;
  tags: JsonText;
  properties: JsonText;
  language: string | null;
  intent: string | null;
  subject: string | null;
  /** Users alerted by `keep_owner_and_alert` who follow the conversation (JSON array). */
  followers: JsonText;
  handed_off_at: EpochMs | null;
  queued_at: EpochMs | null;
  first_response_due_at: EpochMs | null;
  first_human_response_at: EpochMs | null;
  sla_breaches: Generated<number>;
  turns_without_progress: Generated<number>;
  last_article_id: string | null;
  /** Bumped by every change of status, owner, team or queue (optimistic concurrency). */
  version: number;
  /** Counters handing out message and event sequence numbers under the row's lock. */
  last_message_seq: Generated<number>;
  last_event_seq: Generated<number>;
  created_at: EpochMs;
  updated_at: EpochMs;
  last_activity_at: EpochMs;
  resolved_at: EpochMs | null;
  csat_score: number | null;
  csat_comment: string | null;
  /** The event seq of its latest resolution; the resolution its latest rating belongs to. */
  resolution_seq: number | null;
  csat_resolution_seq: number | null;
  /** What the latest handoff told the customer: the expected wait (s) and the place in line. */
  promised_wait_seconds: number | null;
  promised_at_position: number | null;
  /** The closed conversation this one follows (migration 2026-12-09-previous-conversation). */
  previous_conversation_id: string | null;
}

export interface MessageTable {
  id: string;
  conversation_id: string;
  seq: number;
  author: string;
  author_id: string | null;
  body: string;
  private: IntBool;
  /** Channel-side id (e-mail Message-ID, Bot Framework activity id) for threading. */
  external_id: string | null;
  data: JsonText;
  created_at: EpochMs;
}

export interface ConversationEventTable {
  id: string;
  conversation_id: string;
  seq: number;
  type: string;
  actor: string | null;
  data: JsonText;
  /** Owner, team and queue as they were when the event happened (CW #14872). */
  owner_id: string | null;
  team_id: string | null;
  queue_id: string | null;
  created_at: EpochMs;
}

export interface OutboxTable {
  id: string;
  kind: string;
  idempotency_key: string;
  payload: JsonText;
  status: string;
  attempts: number;
  /** When the row may be claimed; for `processing` rows, when the worker's lease ends. */
  available_at: EpochMs;
  created_at: EpochMs;
  updated_at: EpochMs;
  last_error: string | null;
}

/** Periodic work shared by the processes of one database (migration 2026-12-10-cluster-leases). */
export interface ClusterLeaseTable {
  /** The work: `sweep.waiting`, `prune.stream`. */
  name: string;
  /** The process that took the current period. */
  holder: string;
  /** No run starts before this instant (the period taken ends here). */
  due_at: EpochMs;
  updated_at: EpochMs;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  conversation_id: string | null;
  type: string;
  title: string;
  body: string;
  data: JsonText;
  read_at: EpochMs | null;
  created_at: EpochMs;
  idempotency_key: string | null;
}

export interface TaskTable {
  id: string;
  conversation_id: string | null;
  type: string;
  assignee_id: string | null;
  team_id: string | null;
  due_at: EpochMs | null;
  due_after_resolution_seconds: number | null;
  status: string;
  note: string | null;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  reminded_at: EpochMs | null;
}

export interface AuditLogTable {
  id: string;
  actor: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  data: JsonText;
  created_at: EpochMs;
}

/** The realtime stream (docs/realtime.md): one row per audience, `seq` global in commit order. */
export interface StreamEventTable {
  seq: number;
  conversation_id: string | null;
  type: string;
  data: JsonText;
  /** `agents`, `user:<id>` or `contact:<id>`. */
  audience: string;
  /** Idempotency: a re-run publisher job writes nothing twice. */
  key: string | null;
  created_at: EpochMs;
}

/** Per conversation: what the realtime publisher has already sent. */
export interface StreamCursorTable {
  conversation_id: string;
  last_event_seq: number;
  last_message_seq: number;
  /** The status as of the last published event (events carry no status snapshot). */
  status: string | null;
  /** The queue position last told to the contact; null when not waiting. */
  queue_position: number | null;
  updated_at: EpochMs;
}

/** Per-user notification preferences; no row: every channel on. */
export interface NotificationPreferencesTable {
  user_id: string;
  /** `{ "<type>": { "<channel>": boolean } }`, only the entries the user set. */
  preferences: JsonText;
  updated_at: EpochMs;
}

/** Every e-mail Message-ID received or sent (threading, de-duplication of redeliveries). */
export interface EmailMessageTable {
  /** `<id-left@id-right>` as in the header. */
  message_id: string;
  conversation_id: string;
  /** messages.id */
  message_row_id: string;
  /** `inbound` | `outbound` */
  direction: string;
  created_at: EpochMs;
}

/** Which Baton conversation a Bot Framework conversation was handed off into, and where to answer it. */
export interface BotframeworkConversationTable {
  conversation_id: string;
  channel_id: string;
  bf_conversation_id: string;
  bf_channel_id: string | null;
  service_url: string;
  /** JSON ChannelAccount of the bot, or null. */
  bot_account: JsonText | null;
  /** JSON array of the `handoff.initiate` activity ids already answered. */
  initiate_activity_ids: Generated<JsonText>;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface SavedReplyTable {
  id: string;
  /** null: shared with the workspace. */
  owner_id: string | null;
  title: string;
  shortcut: string | null;
  default_language: string;
  /** JSON object: language → body. */
  bodies: string;
  created_by: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

/** Single-use links that set a user's password (issue 16 §1); only the token's SHA-256 is stored. */
export interface InvitationTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_by: string;
  created_at: EpochMs;
  expires_at: EpochMs;
  used_at: EpochMs | null;
  /** A newer invitation for the same user replaced this one before it was used. */
  superseded_at: EpochMs | null;
}

/** A user's access: deactivated (signed out everywhere, refused at sign-in) and last sign-in. */
export interface UserAccessTable {
  user_id: string;
  deactivated_at: EpochMs | null;
  last_signed_in_at: EpochMs | null;
}

/**
 * One conversation's figures for the handoff report (core/reports/conversation-report.ts),
 * kept by repositories/report-rows.ts in the transaction that appends its events.
 */
export interface ReportRowTable {
  conversation_id: string;
  contact_id: string;
  channel_id: string;
  started_at: EpochMs;
  handed_off_at: EpochMs | null;
  trigger: string | null;
  rule: string | null;
  team_id: string | null;
  queue_id: string | null;
  agent_id: string | null;
  reassignments: number;
  first_response_ms: number | null;
  queue_wait_ms: number | null;
  queued_since: EpochMs | null;
  status: string | null;
  resolution_ms: number | null;
  sla_breaches: number;
  csat_score: number | null;
  /** 1 when the latest rating was given with a person on the conversation, 0 when not. */
  csat_handed_off: IntBool | null;
}

/** CSAT, one per resolution (named by the seq of the event that resolved the conversation). */
export interface RatingTable {
  id: string;
  conversation_id: string;
  resolution_seq: number;
  score: number;
  comment: string | null;
  /** A person had the conversation (handed off, owned or answered by one) when it was rated. */
  handed_off: IntBool;
  /** `widget`, `email` (the rating page) or `api`. */
  source: string;
  actor: string | null;
  created_at: EpochMs;
}

/** The rating page's single-use links (email conversations); only the token's SHA-256 is stored. */
export interface RatingLinkTable {
  id: string;
  conversation_id: string;
  resolution_seq: number;
  token_hash: string;
  created_at: EpochMs;
  expires_at: EpochMs;
  used_at: EpochMs | null;
}

export interface DB {
  config_revisions: ConfigRevisionTable;
  ruleset_versions: RulesetVersionTable;
  ruleset_draft: RulesetDraftTable;
  user_state: UserStateTable;
  open_loads: OpenLoadTable;
  agent_states_head: AgentStatesHeadTable;
  api_tokens: ApiTokenTable;
  sessions: SessionTable;
  widget_sessions: WidgetSessionTable;
  contacts: ContactTable;
  conversations: ConversationTable;
  messages: MessageTable;
  conversation_events: ConversationEventTable;
  outbox: OutboxTable;
  cluster_leases: ClusterLeaseTable;
  notifications: NotificationTable;
  tasks: TaskTable;
  audit_log: AuditLogTable;
  notification_preferences: NotificationPreferencesTable;
  stream_events: StreamEventTable;
  stream_cursors: StreamCursorTable;
  email_messages: EmailMessageTable;
  botframework_conversations: BotframeworkConversationTable;
  saved_replies: SavedReplyTable;
  invitations: InvitationTable;
  user_access: UserAccessTable;
  report_rows: ReportRowTable;
  ratings: RatingTable;
  rating_links: RatingLinkTable;
}

export type ConfigRevisionRow = Selectable<ConfigRevisionTable>;
export type RulesetVersionRow = Selectable<RulesetVersionTable>;
export type RulesetDraftRow = Selectable<RulesetDraftTable>;
export type UserStateRow = Selectable<UserStateTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type SessionRow = Selectable<SessionTable>;
export type WidgetSessionRow = Selectable<WidgetSessionTable>;
export type ContactRow = Selectable<ContactTable>;
export type ConversationRow = Selectable<ConversationTable>;
export type NewConversationRow = Insertable<ConversationTable>;
export type ConversationUpdate = Updateable<ConversationTable>;
export type MessageRow = Selectable<MessageTable>;
export type ConversationEventRow = Selectable<ConversationEventTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type SavedReplyRow = Selectable<SavedReplyTable>;
export type TaskRow = Selectable<TaskTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type StreamEventRow = Selectable<StreamEventTable>;
export type StreamCursorRow = Selectable<StreamCursorTable>;
export type EmailMessageRow = Selectable<EmailMessageTable>;
export type BotframeworkConversationRow = Selectable<BotframeworkConversationTable>;
export type InvitationRow = Selectable<InvitationTable>;
export type UserAccessRow = Selectable<UserAccessTable>;
export type ReportRow = Selectable<ReportRowTable>;
export type RatingRow = Selectable<RatingTable>;
export type RatingLinkRow = Selectable<RatingLinkTable>;
