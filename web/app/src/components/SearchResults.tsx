import { useEffect, useState } from 'react';
import { api, ApiError, type ConversationListItem } from '../api.js';
import { VIEW_LABELS, type Filters, type View } from '../state/inbox.js';
import { channelName, type Directory } from './directory.js';
import { ConversationRow } from './ConversationRow.js';
import { Snippet } from './Snippet.js';

interface Props {
  q: string;
  view: View;
  filters: Filters;
  directory: Directory;
  selected: string | null;
  now: number;
  onOpen: (id: string) => void;
}

type Result =
  | { state: 'loading' }
  | { state: 'done'; items: ConversationListItem[]; nextCursor: string | null }
  | { state: 'failed'; message: string };

/** Search results in place of the list: best first, each with the snippet that matched. */
export function SearchResults({ q, view, filters, directory, selected, now, onOpen }: Props) {
  const [everywhere, setEverywhere] = useState(true);
  const [result, setResult] = useState<Result>({ state: 'loading' });
  const [loadingMore, setLoadingMore] = useState(false);
  const scope = everywhere ? null : view;
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    api
      .search(q, scope, filters, null)
      .then((page) => live && setResult({ state: 'done', items: page.items, nextCursor: page.nextCursor }))
      .catch(
        (error: unknown) =>
          live &&
          setResult({
            state: 'failed',
            message: error instanceof ApiError ? error.message : 'Search failed.',
          }),
      );
    return () => {
      live = false;
    };
  }, [q, scope, filters]);
  const more = () => {
    if (result.state !== 'done' || result.nextCursor === null) return;
    setLoadingMore(true);
    api
      .search(q, scope, filters, result.nextCursor)
      .then((page) =>
        setResult({ state: 'done', items: [...result.items, ...page.items], nextCursor: page.nextCursor }),
      )
      .catch(() => undefined)
      .finally(() => setLoadingMore(false));
  };
  return (
    <section className="list" aria-labelledby="list-title">
      <div className="list-head">
        <h2 id="list-title">Search</h2>
        <label className="search-scope">
          <input type="checkbox" checked={!everywhere} onChange={(e) => setEverywhere(!e.target.checked)} />{' '}
          Only in {VIEW_LABELS[view]}
        </label>
      </div>
      {result.state === 'loading' ? (
        <p className="list-empty" role="status">
          Searching…
        </p>
      ) : result.state === 'failed' ? (
        <p className="list-empty" role="alert">
          {result.message}
        </p>
      ) : result.items.length === 0 ? (
        <p className="list-empty">No conversation matches “{q}”.</p>
      ) : (
        <ul className="rows" aria-label="Search results">
          {result.items.map((c) => (
            <li key={c.id}>
              <ConversationRow
                conversation={c}
                selected={selected}
                now={now}
                onOpen={onOpen}
                sub={c.snippet !== undefined && <Snippet snippet={c.snippet} />}
                meta={<span className="muted">{channelName(directory, c.channel)}</span>}
              />
            </li>
          ))}
        </ul>
      )}
      {result.state === 'done' && result.nextCursor !== null && (
        <div className="list-more">
          <button type="button" className="ghost" onClick={more} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'More results'}
          </button>
        </div>
      )}
    </section>
  );
}
