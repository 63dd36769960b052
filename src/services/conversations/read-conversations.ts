/** Reads for the inbox, the conversation view and the widget, presented as docs/api.md shapes. */
import { z } from 'zod';
import { InboxView, type Conversation, type ConversationCounts, type ConversationEvent, type ConversationFilterQuery, type ListConversationsQuery, type Message } from '../../contract/api.js';
import { ConversationStatus } from '../../contract/common.js';
import { BatonError, notFound } from '../../platform/errors.js';
import type { Executor } from '../../store/database.js';
import { getContact, getContacts, type ContactRecord } from '../../store/repositories/contacts.js';
import {
  decodeConversationCursor,
  encodeConversationCursor,
  getConversation,
  countConversations,
  listConversations,
  type ConversationFilter,
  type ConversationRecord,
} from '../../store/repositories/conversations.js';
import type { HandoffTrace } from '../../contract/trace.js';
import { latestHandoffTrace, latestHandoffTraces, listEvents, type ConversationEventRecord } from '../../store/repositories/events.js';
import { conversationActivity, listMessages, type ConversationActivity, type MessageRecord } from '../../store/repositories/messages.js';
import { customerWaitingSince } from '../../core/customer-waiting-since.js';
import { isAwaitingRating } from '../../core/csat.js';
import { queuePosition } from '../../store/repositories/routing.js';
import type { ServiceContext } from '../context.js';
import type { OwnershipViewer } from '../../core/ownership.js';
import { waitingReasonOf } from '../handoff/gave-away.js';
import { withoutDecisionInput } from '../present/decision-input.js';
import { iso, presentConversation, presentMessage, type ConversationActivityView } from '../present/present-conversation.js';
import type { LoadedWorkspace } from '../workspace/workspace-cache.js';

function activityView(conversation: ConversationRecord, activity: ConversationActivity | undefined): ConversationActivityView {
  return {
    lastMessage: activity?.lastMessage ?? null,
    customerWaitingSince: customerWaitingSince({
      status: conversation.status,
      handedOffAt: conversation.handedOffAt,
      firstHumanResponseAt: conversation.firstHumanResponseAt,
      unansweredSince: activity?.unansweredSince ?? null,
    }),
  };
}

function contactsOf(ex: Executor, conversations: readonly ConversationRecord[]): Promise<Map<string, ContactRecord>> {
  return getContacts(ex, [...new Set(conversations.map((c) => c.contactId))]);
}

/** `handoff`: the latest trace when the caller has it (it just handed off); read otherwise. */
export async function presentConversationRecord(
  ctx: ServiceContext,
  conversation: ConversationRecord,
  options: { readonly viewer: OwnershipViewer | null; readonly contact?: ContactRecord | null; readonly handoff?: HandoffTrace | null },
): Promise<Conversation> {
  const ex = ctx.database.db;
  const who = options.contact ?? (await getContact(ex, conversation.contactId));
  if (who === null) throw new Error(`conversation ${conversation.id} has no contact`);
  const handoff = options.handoff;
  const trace = handoff !== undefined ? handoff : conversation.handedOffAt === null ? null : await latestHandoffTrace(ex, conversation.id);
  const { model } = await ctx.workspace.current();
  const waitingReason = await waitingReasonOf(ex, model, conversation);
  const activity = await conversationActivity(ex, [conversation.id]);
  return presentConversation(conversation, who, trace, { model, viewer: options.viewer, waitingReason }, activityView(conversation, activity.get(conversation.id)));
}

export async function readConversation(ctx: ServiceContext, id: string, options: { readonly contactId?: string } = {}): Promise<ConversationRecord> {
  const conversation = await getConversation(ctx.database.db, id);
  if (conversation === null || (options.contactId !== undefined && conversation.contactId !== options.contactId)) throw notFound('conversation', id);
  return conversation;
}

export async function readConversationView(ctx: ServiceContext, id: string, viewer: OwnershipViewer | null): Promise<Conversation> {
  return presentConversationRecord(ctx, await readConversation(ctx, id), { viewer });
}

const StatusList = z.array(ConversationStatus);

const OPEN: readonly ConversationStatus[] = ['bot', 'queued', 'assigned', 'waiting_on_customer'];
const WITH_HUMANS: readonly ConversationStatus[] = ['queued', 'assigned', 'waiting_on_customer'];
const VIEWS = InboxView.options;

function intersect<T>(a: readonly T[] | undefined, b: readonly T[]): readonly T[] {
  return a === undefined ? b : a.filter((x) => b.includes(x));
}

/** The parts of a query the list and the counts share, parsed once (`status=a,b`, `owner=me|none`). */
interface ParsedFilter {
  readonly statuses: readonly ConversationStatus[] | undefined;
  /** undefined: any owner; null: unowned. */
  readonly ownerId: string | null | undefined;
  readonly rest: Omit<ConversationFilter, 'status' | 'ownerId' | 'teamId'>;
  readonly teamId: string | undefined;
}

function parseFilter(ctx: ServiceContext, query: ConversationFilterQuery, viewerId: string | null): ParsedFilter | 'nothing' {
  let statuses: ConversationStatus[] | undefined;
  if (query.status !== undefined) {
    const parsed = StatusList.safeParse(String(query.status).split(','));
    if (!parsed.success) throw new BatonError('invalid', 'unknown status', { details: [{ path: 'status', message: 'one or more of bot, queued, assigned, waiting_on_customer, resolved, closed' }] });
    statuses = parsed.data;
  }
  const owner = query.owner === 'me' ? viewerId : query.owner === 'none' ? null : query.owner;
  // `owner=me` from a principal that is not a person owns nothing (it never meant "unowned").
  if (query.owner === 'me' && viewerId === null) return 'nothing';
  return {
    statuses,
    ownerId: owner,
    teamId: query.team,
    rest: {
      ...(query.queue !== undefined && { queueId: query.queue }),
      ...(query.channel !== undefined && { channelId: query.channel }),
      ...(query.priority !== undefined && { priority: query.priority }),
      ...(query.tag !== undefined && { tag: { value: query.tag, dialect: ctx.database.dialect } }),
    },
  };
}

/** Teams the person is a member or lead of (the `team` view). */
async function teamsOf(ctx: ServiceContext, userId: string | null): Promise<string[]> {
  if (userId === null) return [];
  const { config } = await ctx.workspace.current();
  return config.teams.filter((t) => t.members.includes(userId) || (t.leads ?? []).includes(userId)).map((t) => t.id);
}

/**
 * The filter of one view for the viewer, narrowed by the query's own filters; 'nothing' when the
 * two cannot both hold (`view=mine&owner=sam` for Ana).
 */
function viewFilter(view: InboxView | undefined, parsed: ParsedFilter, viewerId: string | null, viewerTeams: readonly string[]): ConversationFilter | 'nothing' {
  let statuses = parsed.statuses;
  let ownerId = parsed.ownerId;
  let teams: readonly string[] | undefined = parsed.teamId === undefined ? undefined : [parsed.teamId];
  const narrowed = (): ConversationFilter => ({
    ...parsed.rest,
    ...(ownerId !== undefined && { ownerId }),
    ...(teams !== undefined && { teamId: teams }),
  });
  const owned = (id: string | null): boolean => {
    if (ownerId !== undefined && ownerId !== id) return false;
    ownerId = id;
    return true;
  };
  switch (view) {
    case undefined:
      break;
    case 'mine':
      if (viewerId === null || !owned(viewerId)) return 'nothing';
      statuses = intersect(statuses, ['assigned', 'waiting_on_customer']);
      break;
    case 'unassigned':
      if (!owned(null)) return 'nothing';
      statuses = intersect(statuses, ['queued']);
      break;
    case 'team':
      teams = intersect(teams, viewerTeams);
      statuses = intersect(statuses, WITH_HUMANS);
      break;
    case 'all':
      if (statuses === undefined) return { ...narrowed(), statusNot: ['resolved', 'closed'] };
      statuses = intersect(statuses, OPEN);
      break;
    case 'bot':
      statuses = intersect(statuses, ['bot']);
      break;
    case 'resolved':
      statuses = intersect(statuses, ['resolved', 'closed']);
      break;
  }
  return { ...narrowed(), ...(statuses !== undefined && { status: statuses }) };
}

/** The list's filters and view for the viewer as one store filter (the search narrows by the same). */
export async function conversationFilterOf(ctx: ServiceContext, query: ListConversationsQuery, viewerId: string | null): Promise<ConversationFilter | 'nothing'> {
  const parsed = parseFilter(ctx, query, viewerId);
  if (parsed === 'nothing') return 'nothing';
  return viewFilter(query.view, parsed, viewerId, query.view === 'team' ? await teamsOf(ctx, viewerId) : []);
}

/**
 * Newest activity first (the `unassigned` view: as the assigner takes them), cursor-paginated;
 * `owner=me` and `owner=none` work, `status=a,b` too; `view=` narrows to an inbox view of the caller.
 */
export async function listConversationsView(
  ctx: ServiceContext,
  query: ListConversationsQuery,
  viewerId: string | null,
  viewer: OwnershipViewer | null = null,
): Promise<{ items: Conversation[]; nextCursor: string | null }> {
  const order = query.view === 'unassigned' ? 'queue' : 'activity';
  const after = query.cursor === undefined ? undefined : decodeConversationCursor(query.cursor);
  if (after === null || (after !== undefined && after.order !== order)) {
    throw new BatonError('invalid', 'cursor is not one this API returned for this view', { details: [{ path: 'cursor', message: 'unknown cursor' }] });
  }
  const filter = await conversationFilterOf(ctx, query, viewerId);
  if (filter === 'nothing') return { items: [], nextCursor: null };
  const page = await listConversations(ctx.database.db, { ...filter, order, ...(after !== undefined && { after }), limit: query.limit });
  const contacts = await contactsOf(ctx.database.db, page.items);
  const traces = await latestHandoffTraces(ctx.database.db, page.items.filter((c) => c.handedOffAt !== null).map((c) => c.id));
  const { model } = await ctx.workspace.current();
  // Only queued conversations can be waiting for someone else (a few queries each).
  const waiting = new Map<string, string | null>();
  for (const c of page.items) if (c.status === 'queued') waiting.set(c.id, await waitingReasonOf(ctx.database.db, model, c));
  const activity = await conversationActivity(ctx.database.db, page.items.map((c) => c.id));
  return {
    items: page.items.map((c) => {
      const contact = contacts.get(c.contactId);
      if (contact === undefined) throw new Error(`conversation ${c.id} has no contact`);
      return presentConversation(c, contact, traces.get(c.id) ?? null, { model, viewer, waitingReason: waiting.get(c.id) ?? null }, activityView(c, activity.get(c.id)));
    }),
    nextCursor: page.nextCursor === null ? null : encodeConversationCursor(page.nextCursor),
  };
}

/** A count reads the status index for the statuses kept (a covering index), where a list walks the activity order. */
function asStatusList(filter: ConversationFilter): ConversationFilter {
  const { statusNot, ...rest } = filter;
  if (statusNot === undefined || rest.status !== undefined) return filter;
  return { ...rest, status: ConversationStatus.options.filter((s) => !statusNot.includes(s)) };
}

/** How many conversations each view holds for the viewer under the query's filters. */
export async function countConversationViews(ctx: ServiceContext, query: ConversationFilterQuery, viewerId: string | null): Promise<ConversationCounts> {
  const parsed = parseFilter(ctx, query, viewerId);
  const views = Object.fromEntries(VIEWS.map((v) => [v, 0])) as Record<InboxView, number>;
  if (parsed === 'nothing') return { views };
  const teams = await teamsOf(ctx, viewerId);
  const counted = await Promise.all(
    VIEWS.map(async (view) => {
      const filter = viewFilter(view, parsed, viewerId, teams);
      return [view, filter === 'nothing' ? 0 : await countConversations(ctx.database.db, asStatusList(filter))] as const;
    }),
  );
  for (const [view, n] of counted) views[view] = n;
  return { views };
}

/** Author names: users from the workspace, the contact's name, the AI agent. */
export function presentMessages(loaded: LoadedWorkspace, contact: ContactRecord | null, messages: readonly MessageRecord[]): Message[] {
  return messages.map((m) => {
    const name =
      m.author === 'user' && m.authorId !== null
        ? (loaded.model.users.get(m.authorId)?.name ?? m.authorId)
        : m.author === 'contact'
          ? (contact?.name ?? null)
          : m.author === 'assistant'
            ? 'AI assistant'
            : null;
    return presentMessage({ ...m, isPrivate: m.private }, name);
  });
}

export async function readMessages(
  ctx: ServiceContext,
  id: string,
  options: { readonly after: number; readonly includePrivate: boolean; readonly contactId?: string },
): Promise<Message[]> {
  const conversation = await readConversation(ctx, id, options.contactId === undefined ? {} : { contactId: options.contactId });
  const [loaded, contact, messages] = await Promise.all([
    ctx.workspace.current(),
    getContact(ctx.database.db, conversation.contactId),
    listMessages(ctx.database.db, id, { afterSeq: options.after, includePrivate: options.includePrivate, limit: 1_000 }),
  ]);
  return presentMessages(loaded, contact, messages);
}

/** `decisionInput`: the viewer acts as an admin and may read a handoff's recorded decision input. */
export function presentEvent(event: ConversationEventRecord, viewer: { readonly decisionInput: boolean }): ConversationEvent {
  return {
    id: event.id,
    seq: event.seq,
    type: event.type,
    actor: event.actor,
    data: viewer.decisionInput ? { ...event.data } : withoutDecisionInput(event.type, event.data),
    owner: event.ownerId,
    team: event.teamId,
    queue: event.queueId,
    createdAt: iso(event.createdAt),
  };
}

/** `decisionInput`: whether the caller may read handoffs' recorded decision input (admins: `actsAsAdmin`). */
export async function readEvents(
  ctx: ServiceContext,
  id: string,
  after: number,
  viewer: { readonly decisionInput: boolean },
): Promise<ConversationEvent[]> {
  await readConversation(ctx, id);
  return (await listEvents(ctx.database.db, id, { afterSeq: after, limit: 5_000 })).map((event) => presentEvent(event, viewer));
}

/** What the customer may see of their conversation: where it stands, never the routing trace. */
export const CustomerConversation = z.object({
  id: z.string(),
  channel: z.string(),
  status: ConversationStatus,
  language: z.string().nullable(),
  owner: z.object({ name: z.string() }).nullable(),
  queuePosition: z.number().int().nullable(),
  expectedWaitSeconds: z.number().int().nullable(),
  nextOpenAt: z.string().nullable(),
  lastMessageSeq: z.number().int(),
  createdAt: z.string(),
  /** The rating of the current resolution; null until the customer rates it (asked again after each new resolution). */
  rating: z.number().int().nullable(),
});
export type CustomerConversation = z.infer<typeof CustomerConversation>;

const isOver = (status: ConversationStatus): boolean => status === 'resolved' || status === 'closed';

export async function presentCustomerConversation(
  ctx: ServiceContext,
  conversation: ConversationRecord,
  /** The workspace the caller has read already (the use case's, in its transaction). */
  workspace?: LoadedWorkspace,
): Promise<CustomerConversation> {
  const loaded = workspace ?? (await ctx.workspace.current());
  const owner = conversation.ownerId === null ? undefined : loaded.model.users.get(conversation.ownerId);
  const position = await queuePosition(ctx.database.db, conversation);
  const promise = conversation.status === 'queued' ? await latestHandoffTrace(ctx.database.db, conversation.id) : null;
  return {
    id: conversation.id,
    channel: conversation.channelId,
    status: conversation.status,
    language: conversation.language,
    owner: owner === undefined ? null : { name: owner.name.split(' ')[0] ?? owner.name },
    queuePosition: position,
    expectedWaitSeconds: conversation.status === 'queued' ? (promise?.expectedWaitSeconds ?? null) : conversation.status === 'assigned' ? 0 : null,
    nextOpenAt: conversation.status === 'queued' ? (promise?.nextOpenAt ?? null) : null,
    lastMessageSeq: conversation.lastMessageSeq,
    createdAt: iso(conversation.createdAt),
    // This resolution's rating: null while the customer is still to be asked (core/csat.ts), so
    // a conversation reopened and resolved again asks again.
    rating: isOver(conversation.status) && !isAwaitingRating(conversation) ? conversation.csatScore : null,
  };
}
