/**
 * The inbox as the agent app holds it, and the pure functions that change it: REST pages and
 * realtime frames go in, views and counts come out. No I/O here, so every rule about ordering is
 * a unit test (inbox.test.ts).
 *
 * Ordering (CW PR #13713: out-of-order realtime events duplicated rows in the UI): frames carry a
 * `seq` that increases along the stream. A frame at or below the last seq applied is a replay
 * (after a reconnect with `?after=`) or a duplicate and is dropped; frames that arrive together
 * are applied in seq order. Rows are keyed by id, so a conversation or message is never listed
 * twice. A frame only patches what it carries (status, owner, team, queue) and marks the
 * conversation stale; the REST copy fetched afterwards is authoritative (priority, tags, trace),
 * unless a newer frame touched the conversation while that fetch was in flight.
 */
import type { Conversation, Message } from '../../../../src/contract/api.js';
import type { ConversationStatus, Priority } from '../../../../src/contract/common.js';

/** What `GET /api/realtime` sends: `RealtimeFrame` of src/contract/realtime.ts, with `type` widened so frames of newer servers pass through. */
export interface Frame {
  readonly seq: number;
  readonly type: string;
  readonly conversationId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** `GET /api/notifications` items (src/contract/api.ts `Notification`). */
export interface InboxNotification {
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly body: string;
  readonly conversationId: string | null;
  readonly read: boolean;
  readonly createdAt: string;
}

export interface InboxState {
  /** The seq of the last stored frame applied; the socket reconnects with `?after=` this. */
  readonly lastSeq: number;
  readonly conversations: Readonly<Record<string, Conversation>>;
  /** Threads loaded so far (a conversation opened once), in seq order. */
  readonly messages: Readonly<Record<string, readonly Message[]>>;
  /** Conversations a frame changed since their REST copy: fetch them again. */
  readonly stale: readonly string[];
  /** The seq of the last frame that touched each conversation. */
  readonly touchedAt: Readonly<Record<string, number>>;
  readonly notifications: readonly InboxNotification[];
  readonly unread: number;
  /** The pages of the selected view and filters, as the server listed them. */
  readonly list: InboxList;
}

/**
 * The server's pages of one view + filters (`GET /api/conversations?view=…`). The rows shown are
 * not just these ids: every conversation held that belongs to the view now and sorts before the
 * end of the last page is shown, and a listed one that left the view is not (visibleRows).
 */
export interface InboxList {
  /** listKey(view, filters) of the query these pages answer. */
  readonly key: string;
  readonly ids: readonly string[];
  /** null once the last page is in. */
  readonly nextCursor: string | null;
  /** The first page arrived. */
  readonly loaded: boolean;
}

export const emptyInbox: InboxState = {
  lastSeq: 0,
  conversations: {},
  messages: {},
  stale: [],
  touchedAt: {},
  notifications: [],
  unread: 0,
  list: { key: '', ids: [], nextCursor: null, loaded: false },
};

/**
 * Frames that are not stored on the stream change no rows. `stream.ready` opens every connection
 * with the seq it starts after (the head of the stream when connecting without `?after=`), so it
 * may move `lastSeq` forward; `typing` never does.
 */
const EPHEMERAL = new Set(['typing', 'stream.ready']);

const isStatus = (value: unknown): value is ConversationStatus =>
  typeof value === 'string' && ['bot', 'queued', 'assigned', 'waiting_on_customer', 'resolved', 'closed'].includes(value);

const stringOrNull = (value: unknown): string | null | undefined =>
  value === null ? null : typeof value === 'string' ? value : undefined;

/** A `conversation.rated` frame's rating (score 1–5, comment): the latest, so the current resolution's. */
function ratingOf(value: unknown): Conversation['rating'] {
  if (typeof value !== 'object' || value === null) return null;
  const { score, comment } = value as { score?: unknown; comment?: unknown };
  if (typeof score !== 'number') return null;
  return { score, comment: typeof comment === 'string' ? comment : null, current: true };
}

function addStale(stale: readonly string[], id: string): readonly string[] {
  return stale.includes(id) ? stale : [...stale, id];
}

/** Merge messages by id, in seq order (a replayed or refetched message replaces its copy). */
export function mergeMessages(existing: readonly Message[], incoming: readonly Message[]): Message[] {
  const byId = new Map<string, Message>();
  for (const m of existing) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

function later(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * The list row's latest message and the customer's wait after a new message, as the server
 * computes them (services/conversations/read-conversations.ts): a system notice changes neither;
 * a public reply by a person or the AI agent ends the wait; a customer message starts it when
 * people have the conversation and nobody was owed an answer yet.
 */
export function rowActivity(known: Conversation, message: Message): Pick<Conversation, 'lastMessage' | 'customerWaitingSince'> {
  if (message.author === 'system' || typeof message.createdAt !== 'string') return {};
  const held = known.lastMessage;
  const lastMessage =
    held !== undefined && held !== null && Date.parse(held.createdAt) > Date.parse(message.createdAt)
      ? held
      : { author: message.author, authorId: message.authorId, body: message.body, private: message.private, createdAt: message.createdAt };
  let customerWaitingSince = known.customerWaitingSince ?? null;
  if (!message.private && (message.author === 'user' || message.author === 'assistant')) customerWaitingSince = null;
  else if (message.author === 'contact' && customerWaitingSince === null && (known.status === 'queued' || known.status === 'assigned')) customerWaitingSince = message.createdAt;
  return { lastMessage, customerWaitingSince };
}

function applyOne(state: InboxState, frame: Frame): InboxState {
  const id = frame.conversationId;
  const touchedAt = id === null ? state.touchedAt : { ...state.touchedAt, [id]: frame.seq };
  let next: InboxState = { ...state, lastSeq: frame.seq, touchedAt };
  const known = id === null ? undefined : state.conversations[id];

  switch (frame.type) {
    case 'message.created': {
      if (id === null) return next;
      const message = frame.data as unknown as Message;
      const thread = state.messages[id];
      if (thread !== undefined) next = { ...next, messages: { ...next.messages, [id]: mergeMessages(thread, [message]) } };
      if (known === undefined) return { ...next, stale: addStale(next.stale, id) };
      const lastActivityAt = typeof message.createdAt === 'string' ? later(known.lastActivityAt, message.createdAt) : known.lastActivityAt;
      return { ...next, conversations: { ...next.conversations, [id]: { ...known, lastActivityAt, ...rowActivity(known, message) } } };
    }
    case 'conversation.updated':
    case 'conversation.assigned': {
      if (id === null) return next;
      if (known !== undefined) {
        const d = frame.data;
        const patched: Conversation = {
          ...known,
          ...(isStatus(d.status) && { status: d.status }),
          ...('owner' in d && stringOrNull(d.owner) !== undefined && { owner: stringOrNull(d.owner) ?? null }),
          ...('team' in d && stringOrNull(d.team) !== undefined && { team: stringOrNull(d.team) ?? null }),
          ...('queue' in d && stringOrNull(d.queue) !== undefined && { queue: stringOrNull(d.queue) ?? null }),
          // The first-response clock stopped (`sla.stopped`): the badge stops at once, everywhere.
          ...('firstHumanResponseAt' in d && stringOrNull(d.firstHumanResponseAt) !== undefined && { firstHumanResponseAt: stringOrNull(d.firstHumanResponseAt) ?? null }),
          // The customer rated (`conversation.rated`): the row and the header show it at once.
          ...(ratingOf(d.rating) !== null && { rating: ratingOf(d.rating) }),
        };
        // Who may do what depends on owner and status: unknown until the conversation is read
        // again (it is marked stale below), so no action is offered that the server would refuse.
        const moved = patched.owner !== known.owner || patched.status !== known.status || patched.team !== known.team || patched.queue !== known.queue;
        next = { ...next, conversations: { ...next.conversations, [id]: moved ? { ...patched, viewerCan: null, waitingReason: null } : patched } };
      }
      return { ...next, stale: addStale(next.stale, id) };
    }
    case 'handoff.started':
    case 'handoff.completed':
      return id === null ? next : { ...next, stale: addStale(next.stale, id) };
    case 'notification.created': {
      const n = frame.data as unknown as InboxNotification;
      if (typeof n.id !== 'string' || state.notifications.some((x) => x.id === n.id)) return next;
      return { ...next, notifications: [n, ...state.notifications], unread: state.unread + (n.read ? 0 : 1) };
    }
    default:
      // queue.position is for customers; unknown types are ignored, not guessed at.
      return next;
  }
}

/**
 * Apply frames from the socket: in seq order, each stored frame once. Frames at or below the
 * last applied seq are dropped (a replay after reconnecting, or a duplicate).
 */
export function applyFrames(state: InboxState, frames: readonly Frame[]): InboxState {
  const ordered = [...frames].sort((a, b) => a.seq - b.seq);
  let next = state;
  for (const frame of ordered) {
    if (frame.type === 'stream.ready' && frame.seq > next.lastSeq) next = { ...next, lastSeq: frame.seq };
    if (EPHEMERAL.has(frame.type)) continue;
    if (frame.seq <= next.lastSeq) continue;
    next = applyOne(next, frame);
  }
  return next;
}

/**
 * A conversation read over REST. `requestedAtSeq` is `lastSeq` when the request was sent: if a
 * frame touched the conversation after that, the answer may predate it, so it stays stale.
 * An answer with a lower `version` than the copy held never replaces it.
 */
export function upsertConversations(state: InboxState, items: readonly Conversation[], requestedAtSeq: number): InboxState {
  if (items.length === 0) return state;
  const conversations = { ...state.conversations };
  let stale = state.stale;
  for (const item of items) {
    const held = conversations[item.id];
    if (held === undefined || item.version >= held.version) conversations[item.id] = item;
    const touched = state.touchedAt[item.id] ?? 0;
    if (touched <= requestedAtSeq) stale = stale.filter((s) => s !== item.id);
  }
  return { ...state, conversations, stale };
}

/** A conversation the server no longer shows (404): forget it. */
export function dropConversation(state: InboxState, id: string): InboxState {
  const { [id]: _gone, ...conversations } = state.conversations;
  return { ...state, conversations, stale: state.stale.filter((s) => s !== id) };
}

export function setThread(state: InboxState, conversationId: string, messages: readonly Message[]): InboxState {
  const held = state.messages[conversationId] ?? [];
  return { ...state, messages: { ...state.messages, [conversationId]: mergeMessages(held, messages) } };
}

export function setNotifications(state: InboxState, items: readonly InboxNotification[], unread: number): InboxState {
  return { ...state, notifications: items, unread };
}

export function markNotificationsRead(state: InboxState, ids: readonly string[] | 'all', unread: number): InboxState {
  const notifications = state.notifications.map((n) => (ids === 'all' || ids.includes(n.id) ? { ...n, read: true } : n));
  return { ...state, notifications, unread };
}

// ── views and filters ──────────────────────────────────────────────────────────────────────────

export const VIEWS = ['mine', 'unassigned', 'team', 'all', 'bot', 'resolved'] as const;
export type View = (typeof VIEWS)[number];

export const VIEW_LABELS: Record<View, string> = {
  mine: 'Mine',
  unassigned: 'Unassigned',
  team: 'My teams',
  all: 'All open',
  bot: 'Bot-handled',
  resolved: 'Resolved',
};

export interface Viewer {
  readonly id: string;
  /** Teams the viewer is a member or lead of. */
  readonly teams: readonly string[];
}

export interface Filters {
  readonly channel?: string | undefined;
  readonly queue?: string | undefined;
  readonly priority?: Priority | undefined;
  readonly tag?: string | undefined;
}

const WITH_HUMANS: readonly ConversationStatus[] = ['queued', 'assigned', 'waiting_on_customer'];

export function isInView(c: Conversation, view: View, viewer: Viewer): boolean {
  switch (view) {
    case 'mine':
      return c.owner === viewer.id && (c.status === 'assigned' || c.status === 'waiting_on_customer');
    case 'unassigned':
      return c.status === 'queued' && c.owner === null;
    case 'team':
      return c.team !== null && viewer.teams.includes(c.team) && WITH_HUMANS.includes(c.status);
    case 'all':
      return c.status !== 'resolved' && c.status !== 'closed';
    case 'bot':
      return c.status === 'bot';
    case 'resolved':
      return c.status === 'resolved' || c.status === 'closed';
  }
}

export function matchesFilters(c: Conversation, filters: Filters): boolean {
  if (filters.channel !== undefined && c.channel !== filters.channel) return false;
  if (filters.queue !== undefined && c.queue !== filters.queue) return false;
  if (filters.priority !== undefined && c.priority !== filters.priority) return false;
  if (filters.tag !== undefined && !c.tags.includes(filters.tag)) return false;
  return true;
}

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const waitingSince = (c: Conversation): number => Date.parse(c.handedOffAt ?? c.createdAt);

/**
 * The server's order for a view (src/store/repositories/conversations.ts): the unassigned line as
 * the assigner takes it (urgent first, then whoever has waited longest, then id); every other view
 * newest activity first, then id descending. The same order, so "sorts before the end of the last
 * page" means the same thing on both sides.
 */
export function compareRows(view: View): (a: Conversation, b: Conversation) => number {
  if (view === 'unassigned') return (a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || waitingSince(a) - waitingSince(b) || byId(a.id, b.id);
  return (a, b) => Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt) || byId(b.id, a.id);
}

/** The rows of a view among the conversations held, in the view's order. */
export function listView(conversations: Readonly<Record<string, Conversation>>, view: View, viewer: Viewer, filters: Filters): Conversation[] {
  return Object.values(conversations)
    .filter((c) => isInView(c, view, viewer) && matchesFilters(c, filters))
    .sort(compareRows(view));
}

/** Identifies a view + filters: pages of another query are not mixed in. */
export function listKey(view: View, filters: Filters): string {
  return JSON.stringify([view, filters.channel ?? null, filters.queue ?? null, filters.priority ?? null, filters.tag ?? null]);
}

/** A new query: forget the pages of the previous one (the conversations stay held). */
export function startList(state: InboxState, key: string): InboxState {
  return { ...state, list: { key, ids: [], nextCursor: null, loaded: false } };
}

/**
 * A page of the list arrived. A page of another query than the current one (the agent switched
 * views while it loaded) is kept as conversations only. Ids are kept once, in arrival order.
 */
export function receivePage(
  state: InboxState,
  page: { readonly key: string; readonly items: readonly Conversation[]; readonly nextCursor: string | null; readonly requestedAtSeq: number; readonly append: boolean },
): InboxState {
  const next = upsertConversations(state, page.items, page.requestedAtSeq);
  if (page.key !== state.list.key) return next;
  const ids = page.append ? [...state.list.ids] : [];
  const seen = new Set(ids);
  for (const item of page.items) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    ids.push(item.id);
  }
  return { ...next, list: { key: page.key, ids, nextCursor: page.nextCursor, loaded: true } };
}

/**
 * What the list shows: the conversations held that belong to the view and filters now (a frame
 * may have moved one in or out since its page was read), each once, in the view's order. While
 * more pages remain, only those that sort no later than the last row read: the rest are the next
 * page's to bring, so "Load more" never shows a row twice or out of place.
 */
export function visibleRows(state: InboxState, view: View, viewer: Viewer, filters: Filters): Conversation[] {
  if (state.list.key !== listKey(view, filters) || !state.list.loaded) return [];
  const rows = listView(state.conversations, view, viewer, filters);
  if (state.list.nextCursor === null) return rows;
  const order = compareRows(view);
  let boundary: Conversation | undefined;
  for (const id of state.list.ids) {
    const c = state.conversations[id];
    if (c !== undefined && (boundary === undefined || order(c, boundary) > 0)) boundary = c;
  }
  if (boundary === undefined) return [];
  const last = boundary;
  const listed = new Set(state.list.ids);
  return rows.filter((c) => listed.has(c.id) || order(c, last) <= 0);
}

/**
 * The counts to show: the server's, except for the selected view once all its pages are in —
 * then the rows shown are the count, so the number moves with a row a frame brings or takes
 * away instead of waiting for the (debounced) counts request.
 */
export function displayCounts(server: Readonly<Record<View, number>>, state: InboxState, view: View, filters: Filters, rows: readonly Conversation[]): Record<View, number> {
  const counts = { ...server };
  if (state.list.key === listKey(view, filters) && state.list.loaded && state.list.nextCursor === null) counts[view] = rows.length;
  return counts;
}

/**
 * The server no longer holds every frame since the seq the socket resumed after (`stream.ready`
 * with `truncated: true`, src/contract/realtime.ts): what was missed cannot be replayed, so the
 * app reads the list, the counts and the open thread again over REST.
 */
export function missedFrames(frames: readonly Frame[]): boolean {
  return frames.some((f) => f.type === 'stream.ready' && f.data.truncated === true);
}

/**
 * Frames that can change how many conversations a view holds: the counts are read again (the
 * app debounces it) after a batch that contains one.
 */
export function changesCounts(frames: readonly Frame[]): boolean {
  return frames.some((f) => f.conversationId !== null && !EPHEMERAL.has(f.type) && f.type !== 'queue.position');
}

/** How many rows each view has under the current filters. */
export function countViews(conversations: Readonly<Record<string, Conversation>>, viewer: Viewer, filters: Filters): Record<View, number> {
  const counts: Record<View, number> = { mine: 0, unassigned: 0, team: 0, all: 0, bot: 0, resolved: 0 };
  for (const c of Object.values(conversations)) {
    if (!matchesFilters(c, filters)) continue;
    for (const view of VIEWS) if (isInView(c, view, viewer)) counts[view] += 1;
  }
  return counts;
}

/** Every tag in use, for the tag filter. */
export function tagsInUse(conversations: Readonly<Record<string, Conversation>>): string[] {
  const tags = new Set<string>();
  for (const c of Object.values(conversations)) for (const t of c.tags) tags.add(t);
  return [...tags].sort();
}
