import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import {
  api,
  ApiError,
  type Availability,
  type Conversation,
  type Message,
  type MeWithStatus,
} from '../api.js';
import { openStream, type StreamState } from '../realtime.js';
import {
  applyFrames,
  changesCounts,
  displayCounts,
  missedFrames,
  dropConversation,
  emptyInbox,
  listKey,
  markNotificationsRead,
  receivePage,
  setNotifications,
  setThread,
  startList,
  tagsInUse,
  upsertConversations,
  visibleRows,
  VIEWS,
  type Filters,
  type Frame,
  type InboxNotification,
  type InboxState,
  type View,
  type Viewer,
} from '../state/inbox.js';
import { ConversationList } from './ConversationList.js';
import { ConversationView } from './ConversationView.js';
import { SearchBox } from './SearchBox.js';
import { SearchResults } from './SearchResults.js';
import type { Directory } from './directory.js';
import { NotificationCentre } from './NotificationCentre.js';
import { publishFrames } from './live-frames.js';
import { useAssignmentAlerts } from './useAssignmentAlerts.js';
import { ViewNav } from './ViewNav.js';
import { ShortcutHelp } from './ShortcutHelp.js';
import { ShortcutRegistry, ShortcutsContext, useShortcutListener } from '../keyboard.js';

type Action =
  | { type: 'frames'; frames: Frame[] }
  | { type: 'upsert'; items: Conversation[]; requestedAtSeq: number }
  | { type: 'list'; key: string }
  | {
      type: 'page';
      key: string;
      items: Conversation[];
      nextCursor: string | null;
      requestedAtSeq: number;
      append: boolean;
    }
  | { type: 'drop'; id: string }
  | { type: 'thread'; id: string; messages: Message[] }
  | { type: 'notifications'; items: InboxNotification[]; unread: number }
  | { type: 'read'; ids: string[] | 'all'; unread: number };

function reducer(state: InboxState, action: Action): InboxState {
  switch (action.type) {
    case 'frames':
      return applyFrames(state, action.frames);
    case 'upsert':
      return upsertConversations(state, action.items, action.requestedAtSeq);
    case 'list':
      return startList(state, action.key);
    case 'page':
      return receivePage(state, action);
    case 'drop':
      return dropConversation(state, action.id);
    case 'thread':
      return setThread(state, action.id, action.messages);
    case 'notifications':
      return setNotifications(state, action.items, action.unread);
    case 'read':
      return markNotificationsRead(state, action.ids, action.unread);
  }
}

/** Rows per page of a view; "Load more" reads the next one. */
const PAGE_SIZE = 50;
/** The counts are read again this long after the last frame that may change them. */
const COUNTS_DEBOUNCE_MS = 400;

const NO_COUNTS: Record<View, number> = { mine: 0, unassigned: 0, team: 0, all: 0, bot: 0, resolved: 0 };

const idFromPath = (): string | null => {
  const match = /^\/conversations\/([^/]+)$/.exec(location.pathname);
  return match?.[1] === undefined ? null : decodeURIComponent(match[1]);
};

const STREAM_TEXT: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

export function Workspace({
  me,
  onSignOut,
  onSessionEnded,
}: {
  me: MeWithStatus;
  onSignOut: () => Promise<void>;
  onSessionEnded: () => void;
}) {
  const [state, dispatch] = useReducer(reducer, emptyInbox);
  const stateRef = useRef(state);
  stateRef.current = state;
  const [directory, setDirectory] = useState<Directory>({ users: [], teams: [], queues: [], channels: [] });
  const [availability, setAvailability] = useState<Availability | null>(me.status);
  const [view, setView] = useState<View>('mine');
  const [filters, setFilters] = useState<Filters>({});
  const [selected, setSelected] = useState<string | null>(idFromPath);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  // What is typed in the search box, and what is searched (a moment after typing stops).
  const [typed, setTyped] = useState('');
  const [searched, setSearched] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearched(typed.trim()), typed.trim() === '' ? 0 : 250);
    return () => clearTimeout(timer);
  }, [typed]);

  // Relative times and the SLA clock move on their own.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  const checkSession = useCallback(() => {
    api.me().catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) onSessionEnded();
    });
  }, [onSessionEnded]);

  // Counts per view from the server, read again (debounced) after frames that may change them,
  // and when the filters change (below). An answer older than the latest request is dropped.
  const [counts, setCounts] = useState<Record<View, number>>(NO_COUNTS);
  const [countsDue, setCountsDue] = useState(0);
  const countsRequest = useRef(0);
  // Bumped when the stream could not replay what was missed: the list and the thread are read again.
  const [reloads, setReloads] = useState(0);
  const onFrames = useCallback((frames: Frame[]) => {
    dispatch({ type: 'frames', frames });
    publishFrames(frames);
    if (changesCounts(frames) || missedFrames(frames)) setCountsDue((n) => n + 1);
    if (missedFrames(frames)) setReloads((n) => n + 1);
  }, []);
  // The live stream first, then the REST pages: a frame that lands during the load marks its
  // conversation stale, and the page read before it cannot overwrite it (upsertConversations).
  useEffect(() => {
    const close = openStream({
      lastSeq: () => stateRef.current.lastSeq,
      onFrames,
      onState: setStream,
      onUnauthorized: checkSession,
    });
    return close;
  }, [checkSession, onFrames]);

  // The directory and the notifications, once.
  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const [users, teams, queues, channels, notifications] = await Promise.all([
          api.users(),
          api.teams(),
          api.queues(),
          api.channels(),
          api.notifications(),
        ]);
        if (!live) return;
        setDirectory({
          users: users.items,
          teams: teams.items,
          queues: queues.items,
          channels: channels.items,
        });
        dispatch({ type: 'notifications', items: notifications.items, unread: notifications.unread });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) onSessionEnded();
        else setProblem('Could not load the inbox. Reload the page to try again.');
      }
    };
    void load();
    return () => {
      live = false;
    };
  }, [onSessionEnded]);

  // The first page of the selected view and filters, from the server; frames keep it current.
  const key = listKey(view, filters);
  const [loadingMore, setLoadingMore] = useState(false);
  const loadPage = useCallback(
    async (cursor: string | null) => {
      const requestedAtSeq = stateRef.current.lastSeq;
      const result = await api.conversations(view, filters, cursor, PAGE_SIZE);
      dispatch({
        type: 'page',
        key: listKey(view, filters),
        items: result.items,
        nextCursor: result.nextCursor,
        requestedAtSeq,
        append: cursor !== null,
      });
    },
    [view, filters],
  );
  const failed = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) onSessionEnded();
      else setProblem('Could not load the inbox. Reload the page to try again.');
    },
    [onSessionEnded],
  );
  useEffect(() => {
    dispatch({ type: 'list', key });
    setLoading(true);
    let live = true;
    loadPage(null)
      .then(() => live && setProblem(null))
      .catch((error: unknown) => live && failed(error))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [key, loadPage, failed, reloads]);
  const loadMore = () => {
    const cursor = stateRef.current.list.nextCursor;
    if (cursor === null || loadingMore) return;
    setLoadingMore(true);
    loadPage(cursor)
      .catch(failed)
      .finally(() => setLoadingMore(false));
  };

  // Counts per view from the server: read again (debounced) after frames that may change them.
  useEffect(() => {
    const timer = setTimeout(
      () => {
        const request = ++countsRequest.current;
        api
          .conversationCounts(filters)
          .then((result) => {
            if (request !== countsRequest.current) return;
            const next = { ...NO_COUNTS };
            for (const v of VIEWS) next[v] = result.views[v];
            setCounts(next);
          })
          .catch(() => undefined);
      },
      countsDue === 0 ? 0 : COUNTS_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [filters, countsDue]);

  // Conversations a frame changed: read them again (batched, one request each, none twice at once).
  const inFlight = useRef(new Set<string>());
  // Bumped when a read finishes: a conversation touched again while it was read is still stale
  // (same list), and must be read once more.
  const [settled, setSettled] = useState(0);
  useEffect(() => {
    const due = state.stale.filter((id) => !inFlight.current.has(id));
    if (due.length === 0) return;
    const timer = setTimeout(() => {
      for (const id of due) {
        if (inFlight.current.has(id)) continue;
        inFlight.current.add(id);
        const requestedAtSeq = stateRef.current.lastSeq;
        api
          .conversation(id)
          .then((c) => dispatch({ type: 'upsert', items: [c], requestedAtSeq }))
          .catch((error: unknown) => {
            if (error instanceof ApiError && error.status === 404) dispatch({ type: 'drop', id });
          })
          .finally(() => {
            inFlight.current.delete(id);
            setSettled((n) => n + 1);
          });
      }
    }, 120);
    return () => clearTimeout(timer);
  }, [state.stale, settled]);

  // The open conversation's thread: read once on opening, and again when the stream could not
  // replay what was missed; message frames keep it current (merged by id: never twice).
  const [missing, setMissing] = useState<string | null>(null);
  useEffect(() => {
    if (selected === null) return;
    let live = true;
    const requestedAtSeq = stateRef.current.lastSeq;
    const notFound = (error: unknown) => {
      if (live && error instanceof ApiError && error.status === 404) setMissing(selected);
    };
    api
      .messages(selected)
      .then((messages) => live && dispatch({ type: 'thread', id: selected, messages }))
      .catch(notFound);
    if (stateRef.current.conversations[selected] === undefined || reloads > 0) {
      api
        .conversation(selected)
        .then((c) => live && dispatch({ type: 'upsert', items: [c], requestedAtSeq }))
        .catch(notFound);
    }
    return () => {
      live = false;
    };
  }, [selected, reloads]);

  // The URL names the open conversation, so a reload or a shared link lands on it.
  const open = useCallback((id: string | null) => {
    setSelected(id);
    const path = id === null ? '/' : `/conversations/${encodeURIComponent(id)}`;
    if (location.pathname !== path) history.pushState(null, '', path);
  }, []);
  const alerts = useAssignmentAlerts(me.id, directory, open);
  useEffect(() => {
    const onPop = () => setSelected(idFromPath());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const viewer: Viewer = useMemo(
    () => ({
      id: me.id,
      teams: directory.teams
        .filter((t) => t.members.includes(me.id) || t.leads.includes(me.id))
        .map((t) => t.id),
    }),
    [me.id, directory.teams],
  );
  const rows = useMemo(() => visibleRows(state, view, viewer, filters), [state, view, viewer, filters]);
  const shownCounts = useMemo(
    () => displayCounts(counts, state, view, filters, rows),
    [counts, state, view, filters, rows],
  );
  // Tags of the conversations held, and the one filtered on even when none of them carries it.
  const tags = useMemo(() => {
    const inUse = tagsInUse(state.conversations);
    return filters.tag === undefined || inUse.includes(filters.tag) ? inUse : [...inUse, filters.tag].sort();
  }, [state.conversations, filters.tag]);

  const changeAvailability = async (status: Availability) => {
    const before = availability;
    setAvailability(status);
    try {
      const result = await api.setStatus(me.id, status);
      setAvailability(result.status);
    } catch {
      setAvailability(before);
      setProblem('Could not change your availability.');
    }
  };

  const upsert = useCallback(
    (c: Conversation, requestedAtSeq: number) => dispatch({ type: 'upsert', items: [c], requestedAtSeq }),
    [],
  );
  const addMessage = useCallback(
    (m: Message) => dispatch({ type: 'thread', id: m.conversationId, messages: [m] }),
    [],
  );

  const readNotifications = async (ids: string[] | 'all') => {
    try {
      const result = await api.readNotifications(ids);
      dispatch({ type: 'read', ids, unread: result.unread });
    } catch {
      setProblem('Could not mark notifications read.');
    }
  };

  const current = selected === null ? undefined : state.conversations[selected];

  // Keyboard: one registry for the inbox; the list moves with j/k, ? lists what is on screen.
  const [shortcuts] = useState(() => new ShortcutRegistry());
  useShortcutListener(shortcuts);
  const [helpOpen, setHelpOpen] = useState(false);
  const step = (by: 1 | -1) => {
    if (rows.length === 0) return;
    const at = selected === null ? -1 : rows.findIndex((c) => c.id === selected);
    const next = at === -1 ? (by === 1 ? 0 : rows.length - 1) : Math.max(0, Math.min(rows.length - 1, at + by));
    const row = rows[next];
    if (row === undefined || row.id === selected) return;
    open(row.id);
    document.querySelector(`[data-conversation-id="${CSS.escape(row.id)}"]`)?.scrollIntoView({ block: 'nearest' });
  };
  const stepRef = useRef(step);
  stepRef.current = step;
  useEffect(() => {
    const removals = [
      shortcuts.register({ key: 'j', description: 'Next conversation', run: () => stepRef.current(1) }),
      shortcuts.register({ key: 'k', description: 'Previous conversation', run: () => stepRef.current(-1) }),
      shortcuts.register({ key: '?', description: 'Show these shortcuts', run: () => setHelpOpen(true) }),
    ];
    return () => removals.forEach((remove) => remove());
  }, [shortcuts]);

  return (
    // prettier-ignore
    <ShortcutsContext.Provider value={shortcuts}>
    <div className="app">
      <a className="skip-link" href="#conversation-pane">
        Skip to conversation
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            B
          </span>
          <span className="brand-name">Baton</span>
        </div>
        <span className={`stream stream-${stream}`} role="status" aria-live="polite">
          <span className="dot" aria-hidden="true" />
          <span className="stream-text">{STREAM_TEXT[stream]}</span>
        </span>
        <nav className="screen-links in-inbox" aria-label="Screens">
          <a href="/simulator">Simulator</a>
          <a href="/saved-replies">Saved replies</a>
          <a href="/playbook">Playbook</a>
          {me.role === 'admin' && <a href="/settings/workspace">Settings</a>}
          <a href="/account">Account</a>
        </nav>
        <SearchBox value={typed} onChange={setTyped} />
        <div className="topbar-spacer" />
        <label className={`availability availability-${availability ?? 'none'}`}>
          <span className="dot" aria-hidden="true" />
          <span className="visually-hidden">Your availability</span>
          <select
            aria-label="Your availability"
            value={availability ?? ''}
            disabled={availability === null}
            onChange={(e) => void changeAvailability(e.target.value as Availability)}
          >
            {availability === null && <option value="">No status</option>}
            <option value="available">Available</option>
            <option value="away">Away</option>
            <option value="offline">Offline</option>
          </select>
        </label>
        <NotificationCentre
          items={state.notifications}
          unread={state.unread}
          now={now}
          onOpen={(n) => {
            if (n.conversationId !== null) open(n.conversationId);
            if (!n.read) void readNotifications([n.id]);
          }}
          onReadAll={() => void readNotifications('all')}
          alerts={alerts}
        />
        <span className="me" title={me.email}>
          {me.name}
        </span>
        <button type="button" className="ghost" onClick={() => void onSignOut()}>
          Sign out
        </button>
      </header>
      {problem !== null && (
        <div className="banner" role="alert">
          {problem}
          <button
            type="button"
            className="link"
            onClick={() => setProblem(null)}
            aria-label="Dismiss message"
          >
            ×
          </button>
        </div>
      )}
      <div className={`layout ${selected === null ? 'no-selection' : 'has-selection'}`}>
        <ViewNav view={view} counts={shownCounts} onChange={setView} />
        {searched !== '' ? (
          <SearchResults
            q={searched}
            view={view}
            filters={filters}
            directory={directory}
            selected={selected}
            now={now}
            onOpen={open}
          />
        ) : (
          <ConversationList
            rows={rows}
            view={view}
            loading={loading}
            more={state.list.nextCursor !== null && state.list.key === key}
            loadingMore={loadingMore}
            onLoadMore={loadMore}
            selected={selected}
            filters={filters}
            onFilters={setFilters}
            directory={directory}
            tags={tags}
            now={now}
            onOpen={open}
          />
        )}
        <main id="conversation-pane" className="pane" tabIndex={-1} aria-label="Conversation">
          {selected === null ? (
            <div className="empty-pane">
              <p>Select a conversation to read it.</p>
            </div>
          ) : current === undefined ? (
            <div className="empty-pane" role="status">
              <p>
                {missing === selected
                  ? 'This conversation does not exist, or was removed.'
                  : 'Loading conversation…'}
              </p>
            </div>
          ) : (
            <ConversationView
              key={current.id}
              conversation={current}
              messages={state.messages[current.id]}
              me={me}
              directory={directory}
              now={now}
              lastSeq={() => stateRef.current.lastSeq}
              onConversation={upsert}
              onMessage={addMessage}
              onBack={() => open(null)}
            />
          )}
        </main>
      </div>
      {helpOpen && <ShortcutHelp registry={shortcuts} onClose={() => setHelpOpen(false)} />}
    </div>
    </ShortcutsContext.Provider>
  );
}
