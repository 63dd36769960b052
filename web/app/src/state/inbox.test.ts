import { describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../../../src/contract/api.js';
import {
  applyFrames,
  changesCounts,
  compareRows,
  displayCounts,
  missedFrames,
  countViews,
  emptyInbox,
  listKey,
  listView,
  receivePage,
  startList,
  visibleRows,
  setThread,
  upsertConversations,
  type Frame,
  type InboxState,
  type Viewer,
} from './inbox.js';

const T0 = Date.parse('2026-11-25T10:00:00Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

function aConversation(id: string, over: Partial<Conversation> = {}): Conversation {
  return {
    id,
    channel: 'web-chat',
    channelType: 'chat',
    subject: null,
    contact: { id: `ct_${id}`, name: `Customer ${id}`, email: null, language: 'en', timezone: null, owner: null, properties: {}, test: false },
    status: 'queued',
    owner: null,
    team: 'support',
    queue: 'general',
    priority: 'normal',
    tags: [],
    properties: {},
    language: 'en',
    intent: null,
    handoff: null,
    handedOffAt: at(0),
    firstResponseDueAt: null,
    firstHumanResponseAt: null,
    createdAt: at(0),
    updatedAt: at(0),
    lastActivityAt: at(0),
    resolvedAt: null,
    previousConversationId: null,
    rating: null,
    version: 1,
    holder: null,
    viewerCan: null,
    waitingReason: null,
    ...over,
  };
}

function aMessage(conversationId: string, seq: number, body = `message ${seq}`): Message {
  return { id: `${conversationId}-m${seq}`, conversationId, seq, author: 'contact', authorId: null, authorName: 'Customer', body, private: false, createdAt: at(seq) };
}

const frame = (seq: number, type: string, conversationId: string | null, data: Record<string, unknown> = {}): Frame => ({ seq, type, conversationId, data });

const withConversations = (...items: Conversation[]): InboxState => upsertConversations(emptyInbox, items, 0);

const ana: Viewer = { id: 'ana', teams: ['billing', 'support'] };

describe('applying realtime frames', () => {
  it('applies frames in seq order even when they arrive out of order', () => {
    const state = withConversations(aConversation('c1'));
    const next = applyFrames(state, [
      frame(12, 'conversation.updated', 'c1', { status: 'resolved', owner: 'ana' }),
      frame(11, 'conversation.assigned', 'c1', { status: 'assigned', owner: 'ana', team: 'support', queue: 'general' }),
    ]);
    expect(next.conversations.c1?.status).toBe('resolved');
    expect(next.lastSeq).toBe(12);
  });

  it("shows the customer's rating the moment it is announced (conversation.rated), and keeps it through other changes", () => {
    const state = withConversations(aConversation('c1', { status: 'resolved', rating: { score: 2, comment: null, current: false } }));
    const rated = applyFrames(state, [
      frame(3, 'conversation.updated', 'c1', { cause: 'conversation.rated', status: 'resolved', owner: 'ana', rating: { score: 5, comment: 'thanks', handedOff: true, resolutionSeq: 9, source: 'widget' } }),
    ]);
    expect(rated.conversations.c1?.rating).toEqual({ score: 5, comment: 'thanks', current: true });
    const later = applyFrames(rated, [frame(4, 'conversation.updated', 'c1', { status: 'resolved', owner: 'ana', changes: { tags: ['vip'] } })]);
    expect(later.conversations.c1?.rating).toEqual({ score: 5, comment: 'thanks', current: true });
  });

  it('stops the SLA clock the moment the first reply is announced (sla.stopped)', () => {
    const state = withConversations(aConversation('c1', { status: 'assigned', owner: 'ana', firstResponseDueAt: at(60) }));
    const next = applyFrames(state, [frame(3, 'conversation.updated', 'c1', { cause: 'sla.stopped', status: 'assigned', owner: 'ana', firstHumanResponseAt: at(2), sla: 'met' })]);
    expect(next.conversations.c1?.firstHumanResponseAt).toBe(at(2));
    // A frame about something else leaves the clock as it was.
    const other = applyFrames(state, [frame(3, 'conversation.updated', 'c1', { status: 'assigned', owner: 'ana' })]);
    expect(other.conversations.c1?.firstHumanResponseAt).toBeNull();
  });

  it('offers no action on a conversation whose owner changed until it is read again', () => {
    const state = withConversations(aConversation('c1', { status: 'assigned', owner: 'ana', viewerCan: ['release', 'resolve'] }));
    const taken = applyFrames(state, [frame(4, 'conversation.assigned', 'c1', { owner: 'maria', status: 'assigned' })]);
    expect(taken.conversations.c1).toMatchObject({ owner: 'maria', viewerCan: null });
    expect(taken.stale).toContain('c1');
    const touched = applyFrames(state, [frame(4, 'conversation.updated', 'c1', { owner: 'ana', status: 'assigned', changes: { tags: ['vip'] } })]);
    expect(touched.conversations.c1?.viewerCan).toEqual(['release', 'resolve']);
  });

  it('drops frames at or below the last applied seq (a replay after reconnecting)', () => {
    let state = withConversations(aConversation('c1'));
    state = applyFrames(state, [frame(5, 'conversation.updated', 'c1', { status: 'assigned', owner: 'ana' })]);
    state = applyFrames(state, [frame(6, 'conversation.updated', 'c1', { status: 'resolved', owner: 'ana' })]);
    // The server replays from an older seq: nothing may go back in time.
    const replayed = applyFrames(state, [
      frame(5, 'conversation.updated', 'c1', { status: 'assigned', owner: 'ana' }),
      frame(6, 'conversation.updated', 'c1', { status: 'resolved', owner: 'ana' }),
    ]);
    expect(replayed).toBe(state);
    expect(replayed.conversations.c1?.status).toBe('resolved');
  });

  it('never lists a message twice when its frame is replayed or also came back from the POST', () => {
    let state = setThread(withConversations(aConversation('c1')), 'c1', [aMessage('c1', 1)]);
    const m2 = aMessage('c1', 2);
    state = setThread(state, 'c1', [m2]); // the POST's answer
    state = applyFrames(state, [frame(20, 'message.created', 'c1', { ...m2 })]);
    state = applyFrames(state, [frame(20, 'message.created', 'c1', { ...m2 }), frame(21, 'message.created', 'c1', { ...aMessage('c1', 3) })]);
    expect(state.messages.c1?.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('keeps a thread in message order when frames and REST pages interleave', () => {
    let state = setThread(withConversations(aConversation('c1')), 'c1', []);
    state = applyFrames(state, [frame(30, 'message.created', 'c1', { ...aMessage('c1', 3) })]);
    state = setThread(state, 'c1', [aMessage('c1', 1), aMessage('c1', 2), aMessage('c1', 3)]);
    expect(state.messages.c1?.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('marks an unknown conversation stale so the app reads it, without inventing a row', () => {
    const state = applyFrames(emptyInbox, [frame(3, 'conversation.updated', 'new', { status: 'queued', owner: null })]);
    expect(state.conversations.new).toBeUndefined();
    expect(state.stale).toEqual(['new']);
  });

  it('ignores typing frames and lets stream.ready move the starting seq forward only', () => {
    let state = applyFrames(emptyInbox, [frame(40, 'stream.ready', null, { after: 40 })]);
    expect(state.lastSeq).toBe(40);
    state = applyFrames(state, [frame(40, 'typing', 'c1', {}), frame(10, 'stream.ready', null, { after: 10 })]);
    expect(state.lastSeq).toBe(40);
    expect(state.stale).toEqual([]);
  });

  it('counts a notification once, however often it is delivered', () => {
    const n = { id: 'n1', type: 'handoff.queued', title: 'New in General', body: 'Lucía is waiting', conversationId: 'c1', read: false, createdAt: at(1) };
    let state = applyFrames(emptyInbox, [frame(7, 'notification.created', 'c1', n)]);
    state = applyFrames({ ...state, lastSeq: 0 }, [frame(7, 'notification.created', 'c1', n)]);
    expect(state.notifications).toHaveLength(1);
    expect(state.unread).toBe(1);
  });
});

describe('reading conversations over REST', () => {
  it('keeps a conversation stale when a frame touched it after the request was sent', () => {
    let state = withConversations(aConversation('c1'));
    const requestedAtSeq = state.lastSeq; // 0
    state = applyFrames(state, [frame(9, 'conversation.updated', 'c1', { status: 'assigned', owner: 'ana' })]);
    state = upsertConversations(state, [aConversation('c1', { version: 2 })], requestedAtSeq);
    expect(state.stale).toEqual(['c1']);
    // The next read, sent after seq 9, settles it.
    state = upsertConversations(state, [aConversation('c1', { version: 3, status: 'assigned', owner: 'ana' })], 9);
    expect(state.stale).toEqual([]);
    expect(state.conversations.c1?.owner).toBe('ana');
  });

  it('never replaces a conversation with an older version', () => {
    let state = withConversations(aConversation('c1', { version: 5, status: 'resolved' }));
    state = upsertConversations(state, [aConversation('c1', { version: 4, status: 'queued' })], 0);
    expect(state.conversations.c1?.status).toBe('resolved');
  });
});

describe('views and filters', () => {
  const conversations = withConversations(
    aConversation('mine', { status: 'assigned', owner: 'ana', lastActivityAt: at(5) }),
    aConversation('waiting', { status: 'waiting_on_customer', owner: 'ana', lastActivityAt: at(9) }),
    aConversation('sams', { status: 'assigned', owner: 'sam', team: 'support' }),
    aConversation('old-queued', { handedOffAt: at(1) }),
    aConversation('urgent-queued', { handedOffAt: at(8), priority: 'urgent', tags: ['vip'] }),
    aConversation('oncall', { status: 'assigned', owner: 'olu', team: 'oncall', queue: null }),
    aConversation('bot', { status: 'bot', team: null, queue: null, handedOffAt: null, channel: 'mobile-app' }),
    aConversation('done', { status: 'resolved', owner: 'ana' }),
  ).conversations;

  const ids = (view: Parameters<typeof listView>[1], filters = {}) => listView(conversations, view, ana, filters).map((c) => c.id);

  it('shows my open conversations, newest activity first', () => {
    expect(ids('mine')).toEqual(['waiting', 'mine']);
  });

  it('lines up the unassigned as the assigner takes them: urgent first, then longest waiting', () => {
    expect(ids('unassigned')).toEqual(['urgent-queued', 'old-queued']);
  });

  it("shows my teams' conversations with people, not other teams' or the bot's", () => {
    expect(ids('team').sort()).toEqual(['mine', 'old-queued', 'sams', 'urgent-queued', 'waiting']);
  });

  it('separates the bot-handled and the resolved from the open ones', () => {
    expect(ids('bot')).toEqual(['bot']);
    expect(ids('resolved')).toEqual(['done']);
    expect(ids('all')).not.toContain('done');
    expect(ids('all')).toContain('bot');
  });

  it('filters by channel, queue, priority and tag, and counts each view under the filters', () => {
    expect(ids('all', { channel: 'mobile-app' })).toEqual(['bot']);
    expect(ids('all', { queue: 'general', priority: 'urgent' })).toEqual(['urgent-queued']);
    expect(ids('unassigned', { tag: 'vip' })).toEqual(['urgent-queued']);
    expect(countViews(conversations, ana, {})).toEqual({ mine: 2, unassigned: 2, team: 5, all: 7, bot: 1, resolved: 1 });
    expect(countViews(conversations, ana, { tag: 'vip' })).toEqual({ mine: 0, unassigned: 1, team: 1, all: 1, bot: 0, resolved: 0 });
  });

  it('moves a row between views when a frame changes its owner', () => {
    const state = applyFrames({ ...emptyInbox, conversations }, [frame(3, 'conversation.assigned', 'old-queued', { status: 'assigned', owner: 'ana', team: 'support', queue: 'general' })]);
    expect(listView(state.conversations, 'mine', ana, {}).map((c) => c.id)).toContain('old-queued');
    expect(listView(state.conversations, 'unassigned', ana, {}).map((c) => c.id)).toEqual(['urgent-queued']);
  });
});

describe('the pages of a view from the server', () => {
  const mineKey = listKey('mine', {});
  const page = (state: InboxState, items: Conversation[], nextCursor: string | null, append = false, key = mineKey) =>
    receivePage(state, { key, items, nextCursor, requestedAtSeq: state.lastSeq, append });
  const ids = (state: InboxState, view: Parameters<typeof listView>[1] = 'mine', filters = {}) => visibleRows(state, view, ana, filters).map((c) => c.id);
  const mine = (id: string, minutes: number) => aConversation(id, { status: 'assigned', owner: 'ana', lastActivityAt: at(minutes) });

  it('shows nothing until the first page of the selected view arrives, then its rows in order', () => {
    const started = startList(emptyInbox, mineKey);
    expect(ids(started)).toEqual([]);
    expect(ids(page(started, [mine('b', 5), mine('a', 3)], null))).toEqual(['b', 'a']);
  });

  it("keeps a page of a view the agent already left as conversations, not as the list's rows", () => {
    const started = startList(emptyInbox, listKey('all', {}));
    const late = page(started, [mine('a', 3)], null);
    expect(late.conversations.a).toBeDefined();
    expect(late.list.ids).toEqual([]);
    expect(ids(late, 'all')).toEqual([]);
  });

  it('inserts a conversation a frame moved into the view, and removes one that left it', () => {
    let state = page(startList(emptyInbox, mineKey), [mine('a', 3)], null);
    state = upsertConversations(state, [aConversation('q', { lastActivityAt: at(4) })], 0);
    expect(ids(state)).toEqual(['a']);
    state = applyFrames(state, [frame(2, 'conversation.assigned', 'q', { status: 'assigned', owner: 'ana' })]);
    expect(ids(state)).toEqual(['q', 'a']);
    state = applyFrames(state, [frame(3, 'conversation.updated', 'a', { status: 'resolved' })]);
    expect(ids(state)).toEqual(['q']);
  });

  it('lists a conversation once when it arrives live and again in the next page, or twice in a replay', () => {
    let state = page(startList(emptyInbox, mineKey), [mine('c', 9), mine('b', 8)], 'cursor-1');
    state = applyFrames(state, [frame(4, 'conversation.assigned', 'b', { status: 'assigned', owner: 'ana' })]);
    state = applyFrames(state, [frame(4, 'conversation.assigned', 'b', { status: 'assigned', owner: 'ana' })]);
    state = page(state, [mine('b', 8), mine('a', 1)], null, true);
    expect(state.list.ids).toEqual(['c', 'b', 'a']);
    expect(ids(state)).toEqual(['c', 'b', 'a']);
  });

  it('while pages remain, holds back conversations that sort after the last row read (the next page brings them)', () => {
    let state = page(startList(emptyInbox, mineKey), [mine('new', 9), mine('mid', 5)], 'cursor-1');
    state = upsertConversations(state, [mine('old', 1)], 0);
    expect(ids(state)).toEqual(['new', 'mid']);
    // A newer one arriving live sorts before the end of the page: shown at once.
    state = upsertConversations(state, [mine('newest', 12)], 0);
    expect(ids(state)).toEqual(['newest', 'new', 'mid']);
    state = page(state, [mine('old', 1)], null, true);
    expect(ids(state)).toEqual(['newest', 'new', 'mid', 'old']);
  });

  it('applies the filters to live rows as the server does', () => {
    const key = listKey('all', { priority: 'urgent' });
    let state = page(startList(emptyInbox, key), [aConversation('u', { priority: 'urgent' })], null, false, key);
    state = upsertConversations(state, [aConversation('n', { priority: 'normal', lastActivityAt: at(9) })], 0);
    expect(ids(state, 'all', { priority: 'urgent' })).toEqual(['u']);
    // The list answers one query: asked with other filters, it shows nothing until their page arrives.
    expect(ids(state, 'all', {})).toEqual([]);
  });

  it('orders as the server: newest activity first, ties by id descending; the unassigned line by id ascending', () => {
    const x = aConversation('x', { lastActivityAt: at(1) });
    const y = aConversation('y', { lastActivityAt: at(1) });
    expect([x, y].sort(compareRows('all')).map((c) => c.id)).toEqual(['y', 'x']);
    expect([y, x].sort(compareRows('unassigned')).map((c) => c.id)).toEqual(['x', 'y']);
  });

  it("counts the selected view's rows once all its pages are in, and takes the server's other counts", () => {
    const server = { mine: 7, unassigned: 3, team: 4, all: 9, bot: 1, resolved: 2 };
    let state = page(startList(emptyInbox, mineKey), [mine('a', 3)], 'cursor-1');
    expect(displayCounts(server, state, 'mine', {}, visibleRows(state, 'mine', ana, {}))).toEqual(server);
    state = page(state, [mine('b', 1)], null, true);
    state = applyFrames(state, [frame(1, 'conversation.assigned', 'a', { status: 'queued', owner: null })]);
    expect(displayCounts(server, state, 'mine', {}, visibleRows(state, 'mine', ana, {}))).toEqual({ ...server, mine: 1 });
  });

  it('reads everything again over REST when the stream says frames were pruned while away', () => {
    expect(missedFrames([frame(7, 'stream.ready', null, { after: 7, truncated: false })])).toBe(false);
    expect(missedFrames([frame(7, 'stream.ready', null, { after: 7, truncated: true })])).toBe(true);
  });

  it('reads the counts again after frames about conversations, not after typing or stream.ready', () => {
    expect(changesCounts([frame(1, 'typing', 'a'), frame(1, 'stream.ready', null)])).toBe(false);
    expect(changesCounts([frame(2, 'notification.created', null)])).toBe(false);
    expect(changesCounts([frame(2, 'conversation.assigned', 'a')])).toBe(true);
    expect(changesCounts([frame(3, 'message.created', 'a')])).toBe(true);
  });
});

describe('list rows follow new messages', () => {
  const message = (over: Partial<Message>): Message => ({ ...aMessage('c1', 5), createdAt: at(5), ...over });

  it('shows the latest message and starts the wait on a customer message, ends it on a public reply', () => {
    const queued = aConversation('c1', { status: 'assigned', lastMessage: null, customerWaitingSince: null });
    const asked = withConversations(queued);
    const afterAsk = applyFrames(asked, [frame(1, 'message.created', 'c1', message({ author: 'contact', body: 'Hello?' }))]);
    expect(afterAsk.conversations.c1?.lastMessage).toMatchObject({ author: 'contact', body: 'Hello?' });
    expect(afterAsk.conversations.c1?.customerWaitingSince).toBe(at(5));
    const note = applyFrames(afterAsk, [frame(2, 'message.created', 'c1', message({ id: 'n', seq: 6, author: 'user', private: true, body: 'note', createdAt: at(6) }))]);
    expect(note.conversations.c1?.customerWaitingSince).toBe(at(5));
    const replied = applyFrames(note, [frame(3, 'message.created', 'c1', message({ id: 'r', seq: 7, author: 'user', body: 'Hi!', createdAt: at(7) }))]);
    expect(replied.conversations.c1?.customerWaitingSince).toBeNull();
    expect(replied.conversations.c1?.lastMessage?.body).toBe('Hi!');
    const notice = applyFrames(replied, [frame(4, 'message.created', 'c1', message({ id: 's', seq: 8, author: 'system', body: 'Ana joined', createdAt: at(8) }))]);
    expect(notice.conversations.c1?.lastMessage?.body).toBe('Hi!');
  });
});
