import type { Conversation, Priority } from '../api.js';
import { formatDuration, slaClock, slaShortText, STATUS_LABELS, TRIGGER_LABELS } from '../format.js';
import { ConversationRow } from './ConversationRow.js';
import { VIEW_LABELS, type Filters, type View } from '../state/inbox.js';
import { channelName, queueName, userName, type Directory } from './directory.js';

const PRIORITIES: readonly Priority[] = ['urgent', 'high', 'normal', 'low'];

/** The row's second line: the latest message with who wrote it, else (not read yet) the trigger or the status. */
function previewOf(c: Conversation, directory: Directory): string {
  const last = c.lastMessage;
  if (last === undefined || last === null)
    return c.handoff !== null ? TRIGGER_LABELS[c.handoff.trigger] : STATUS_LABELS[c.status];
  const who =
    last.author === 'contact'
      ? ''
      : last.author === 'assistant'
        ? 'AI: '
        : `${(userName(directory, last.authorId) ?? 'Agent').split(' ')[0] ?? 'Agent'}: `;
  return `${last.private ? 'Note · ' : ''}${who}${last.body.replace(/\s+/g, ' ')}`;
}

interface Props {
  rows: readonly Conversation[];
  view: View;
  loading: boolean;
  /** The server has more rows of this view than are shown. */
  more: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  selected: string | null;
  filters: Filters;
  onFilters: (filters: Filters) => void;
  directory: Directory;
  tags: readonly string[];
  now: number;
  onOpen: (id: string) => void;
}

export function ConversationList({
  rows,
  view,
  loading,
  more,
  loadingMore,
  onLoadMore,
  selected,
  filters,
  onFilters,
  directory,
  tags,
  now,
  onOpen,
}: Props) {
  const set = (key: keyof Filters, value: string) =>
    onFilters({ ...filters, [key]: value === '' ? undefined : value });
  const active = Object.values(filters).some((v) => v !== undefined);
  return (
    <section className="list" aria-labelledby="list-title">
      <div className="list-head">
        <h2 id="list-title">{VIEW_LABELS[view]}</h2>
        <div className="filters" role="group" aria-label="Filters">
          <select
            aria-label="Filter by channel"
            value={filters.channel ?? ''}
            onChange={(e) => set('channel', e.target.value)}
          >
            <option value="">All channels</option>
            {directory.channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name ?? c.id}
              </option>
            ))}
          </select>
          <select
            aria-label="Filter by queue"
            value={filters.queue ?? ''}
            onChange={(e) => set('queue', e.target.value)}
          >
            <option value="">All queues</option>
            {directory.queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
          <select
            aria-label="Filter by priority"
            value={filters.priority ?? ''}
            onChange={(e) => set('priority', e.target.value)}
          >
            <option value="">Any priority</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {p[0]?.toUpperCase() + p.slice(1)}
              </option>
            ))}
          </select>
          <select
            aria-label="Filter by tag"
            value={filters.tag ?? ''}
            onChange={(e) => set('tag', e.target.value)}
          >
            <option value="">Any tag</option>
            {tags.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          {active && (
            <button type="button" className="link" onClick={() => onFilters({})}>
              Clear filters
            </button>
          )}
        </div>
      </div>
      {loading ? (
        <p className="list-empty" role="status">
          Loading conversations…
        </p>
      ) : rows.length === 0 ? (
        <p className="list-empty">Nothing here{active ? ' with these filters' : ''}.</p>
      ) : (
        <ul className="rows" aria-label={`${VIEW_LABELS[view]} conversations`}>
          {rows.map((c) => {
            const where = c.owner !== null ? userName(directory, c.owner) : queueName(directory, c.queue);
            const clock = slaClock(c, now);
            // The clock matters while people owe an answer; not on resolved or AI-handled rows.
            const sla = c.status === 'queued' || c.status === 'assigned' ? slaShortText(clock) : null;
            return (
              <li key={c.id}>
                <ConversationRow
                  conversation={c}
                  selected={selected}
                  now={now}
                  onOpen={onOpen}
                  sub={<span className="row-sub">{previewOf(c, directory)}</span>}
                  meta={
                    <>
                      {c.customerWaitingSince != null && (
                        <span className="row-wait" title="How long the customer has waited for a person">
                          Waiting {formatDuration((now - Date.parse(c.customerWaitingSince)) / 1000)}
                        </span>
                      )}
                      {sla !== null && (
                        <span
                          className={`sla sla-${clock.state}${clock.state === 'running' && clock.urgent ? ' sla-urgent' : ''}`}
                        >
                          {sla}
                        </span>
                      )}
                      {c.priority !== 'normal' && (
                        <span className={`badge priority-${c.priority}`}>{c.priority}</span>
                      )}
                      {c.rating !== null && (
                        <span
                          className={c.rating.current ? 'row-rating' : 'row-rating earlier'}
                          title={`Rated ${c.rating.score} out of 5${c.rating.current ? '' : ' (an earlier resolution)'}${c.rating.comment !== null && c.rating.comment !== '' ? `: “${c.rating.comment}”` : ''}`}
                        >
                          <span aria-hidden="true">★ {c.rating.score}</span>
                          <span className="visually-hidden">Rated {c.rating.score} out of 5</span>
                        </span>
                      )}
                      <span className="muted">{channelName(directory, c.channel)}</span>
                      {where !== null && <span className="muted">· {where}</span>}
                    </>
                  }
                />
              </li>
            );
          })}
        </ul>
      )}
      {more && !loading && (
        <div className="list-more">
          <button type="button" className="ghost" onClick={onLoadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
