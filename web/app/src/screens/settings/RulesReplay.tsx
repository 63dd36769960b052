import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type HandoffTrace, type ReplayHandoffResult, type ReplayItem, type ReplayResult } from '../../api.js';
import { userName, type Directory as TraceDirectory } from '../../components/directory.js';
import { TraceReasons } from '../../components/TraceReasons.js';
import { TRIGGER_LABELS } from '../../format.js';
import {
  changedFieldsText,
  decisionText,
  defaultReplayRange,
  destinationText,
  ruleAndDestinationText,
  summarySentence,
  type LastReplay,
} from './rules/replay-view.js';

/** Changed handoffs per page of the list. */
const PAGE = 50;

interface Filters {
  readonly from: string;
  readonly to: string;
  readonly channel: string;
  readonly queue: string;
}

interface Shown {
  readonly request: Filters;
  readonly summary: ReplayResult['summary'];
  readonly items: readonly ReplayItem[];
  readonly nextCursor: string | null;
}

type Compare =
  | { readonly item: ReplayItem; readonly state: 'loading' }
  | { readonly item: ReplayItem; readonly state: 'shown'; readonly result: ReplayHandoffResult }
  | { readonly item: ReplayItem; readonly state: 'error'; readonly message: string };

export interface RulesReplayControl {
  readonly open: boolean;
  readonly running: boolean;
  /** Save the draft when needed, then replay the range (the form's, or the last 7 days). */
  readonly run: (filters?: Filters) => Promise<void>;
  readonly close: () => void;
  readonly view: RulesReplayView;
}

interface RulesReplayView {
  readonly timezone: string | null;
  readonly filters: Filters | null;
  readonly setFilters: (filters: Filters) => void;
  readonly status: { kind: 'busy' | 'ok' | 'error'; text: string } | null;
  readonly shown: Shown | null;
  readonly loadingMore: boolean;
  readonly loadMore: () => Promise<void>;
  readonly compare: Compare | null;
  readonly openItem: (item: ReplayItem) => Promise<void>;
  readonly closeItem: () => void;
}

/**
 * The state of "Test against past conversations" (issue 19): POST /api/replay with the saved
 * draft — `prepare` saves the editor's unsaved rules first and answers the saved draft's key, or
 * null when the save was refused (the editor shows why) — then the changed handoffs page by page
 * and one handoff's recorded and replayed traces (POST /api/replay/handoff).
 */
export function useRulesReplay(props: {
  prepare: () => Promise<string | null>;
  onResult: (last: LastReplay) => void;
}): RulesReplayControl {
  const { prepare, onResult } = props;
  const [open, setOpen] = useState(false);
  const [timezone, setTimezone] = useState<string | null>(null);
  const [filters, setFilters] = useState<Filters | null>(null);
  const [status, setStatus] = useState<RulesReplayView['status']>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [compare, setCompare] = useState<Compare | null>(null);
  const running = status?.kind === 'busy';

  const run = useCallback(
    async (wanted?: Filters) => {
      setOpen(true);
      setCompare(null);
      setStatus({ kind: 'busy', text: 'Saving the draft and deciding the past handoffs again…' });
      const draftKey = await prepare();
      if (draftKey === null) {
        setStatus({ kind: 'error', text: 'Not tested: the draft could not be saved (the problems are shown above).' });
        return;
      }
      try {
        let zone = timezone;
        if (zone === null) {
          zone = await api.workspaceTimezone();
          setTimezone(zone);
        }
        const request = wanted ?? filters ?? { ...defaultReplayRange(zone, Date.now()), channel: '', queue: '' };
        setFilters(request);
        const result = await api.replay({
          ruleset: 'draft',
          from: request.from,
          to: request.to,
          ...(request.channel === '' ? {} : { channel: request.channel }),
          ...(request.queue === '' ? {} : { queue: request.queue }),
          limit: PAGE,
        });
        setShown({ request, summary: result.summary, items: result.items, nextCursor: result.nextCursor });
        onResult({ draftKey, ranAt: Date.now(), from: request.from, to: request.to, summary: result.summary });
        const handoffs = result.summary.replayed + result.summary.skipped;
        setStatus({
          kind: 'ok',
          text: handoffs === 0 ? `Tested: no conversation was handed off from ${request.from} to ${request.to}.` : `Tested: ${summarySentence(result.summary)}.`,
        });
      } catch (error) {
        setStatus({
          kind: 'error',
          text: error instanceof ApiError ? `Not tested: ${error.message}` : 'Not tested: the server could not be reached.',
        });
      }
    },
    [prepare, onResult, timezone, filters],
  );

  const loadMore = async () => {
    if (shown === null || shown.nextCursor === null) return;
    setLoadingMore(true);
    try {
      const { request } = shown;
      const page = await api.replay({
        ruleset: 'draft',
        from: request.from,
        to: request.to,
        ...(request.channel === '' ? {} : { channel: request.channel }),
        ...(request.queue === '' ? {} : { queue: request.queue }),
        limit: PAGE,
        cursor: shown.nextCursor,
      });
      setShown({ ...shown, items: [...shown.items, ...page.items], nextCursor: page.nextCursor });
      setStatus({ kind: 'ok', text: `${shown.items.length + page.items.length} of ${shown.summary.changed} changed handoffs shown.` });
    } catch (error) {
      setStatus({ kind: 'error', text: error instanceof ApiError ? `More could not be loaded: ${error.message}` : 'More could not be loaded.' });
    } finally {
      setLoadingMore(false);
    }
  };

  const openItem = async (item: ReplayItem) => {
    setCompare({ item, state: 'loading' });
    try {
      const result = await api.replayHandoff({ ruleset: 'draft', conversationId: item.conversationId, seq: item.seq });
      setCompare((current) => (current?.item === item ? { item, state: 'shown', result } : current));
    } catch (error) {
      const message = error instanceof ApiError ? error.message : 'the server could not be reached';
      setCompare((current) => (current?.item === item ? { item, state: 'error', message } : current));
    }
  };

  return {
    open,
    running,
    run,
    close: () => {
      setOpen(false);
      setCompare(null);
    },
    view: {
      timezone,
      filters,
      setFilters,
      status,
      shown,
      loadingMore,
      loadMore,
      compare,
      openItem,
      closeItem: () => setCompare(null),
    },
  };
}

const when = (iso: string): string => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The panel: the range and filters, the summary, from → to, the changed handoffs, one compared. */
export function RulesReplay(props: {
  control: RulesReplayControl;
  channels: readonly { id: string; name: string }[];
  queues: readonly { id: string; name: string }[];
  directory: TraceDirectory;
  /** The editor holds edits the test did not see, or the saved draft changed since it ran. */
  stale: boolean;
}) {
  const { control, channels, queues, directory, stale } = props;
  const { view } = control;
  const { shown, compare, filters } = view;
  const compareHeading = useRef<HTMLHeadingElement>(null);
  const openedFrom = useRef<string | null>(null);
  const name = (id: string) => userName(directory, id) ?? id;

  // Opening a handoff moves the focus to its comparison; closing it returns the focus to the row.
  useEffect(() => {
    if (compare !== null) compareHeading.current?.focus();
  }, [compare?.item]);

  const closeCompare = () => {
    const back = openedFrom.current;
    view.closeItem();
    if (back !== null) requestAnimationFrame(() => document.getElementById(back)?.focus());
  };

  if (!control.open) return null;
  const form = filters ?? { from: '', to: '', channel: '', queue: '' };
  const s = shown?.summary ?? null;

  return (
    <section className="replay" aria-labelledby="replay-title">
      <div className="replay-head">
        <h3 id="replay-title">Test against past conversations</h3>
        <button type="button" onClick={control.close} aria-label="Close the test against past conversations">
          Close
        </button>
      </div>
      <p className="muted small">
        Each handoff of these dates is decided again with the saved draft, from what it recorded then: the message,
        the contact, the time and the agents&apos; status and load. Nothing is changed.
        {view.timezone !== null && <> Dates are days in {view.timezone}.</>}
      </p>
      <form
        className="replay-filters"
        onSubmit={(e) => {
          e.preventDefault();
          void control.run(form);
        }}
      >
        <label>
          <span>From</span>
          <input type="date" required value={form.from} onChange={(e) => view.setFilters({ ...form, from: e.target.value })} />
        </label>
        <label>
          <span>To</span>
          <input type="date" required value={form.to} onChange={(e) => view.setFilters({ ...form, to: e.target.value })} />
        </label>
        <label>
          <span>Channel</span>
          <select value={form.channel} onChange={(e) => view.setFilters({ ...form, channel: e.target.value })}>
            <option value="">All channels</option>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Queue</span>
          <select value={form.queue} onChange={(e) => view.setFilters({ ...form, queue: e.target.value })}>
            <option value="">All queues</option>
            {queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={control.running || form.from === '' || form.to === ''}>
          Test again
        </button>
      </form>
      <p
        className={view.status?.kind === 'error' ? 'form-error' : view.status?.kind === 'ok' ? 'settings-ok' : 'muted'}
        role="status"
        aria-live="polite"
      >
        {view.status?.text ?? ''}
      </p>
      {stale && shown !== null && !control.running && (
        <p className="form-error small">The draft changed after this test: the result is stale. Test again to see the draft as it is now.</p>
      )}

      {s !== null && shown !== null && (
        <>
          <dl className="replay-figures" aria-label="Summary">
            <div>
              <dt>Conversations</dt>
              <dd>{s.conversations}</dd>
            </div>
            <div>
              <dt>Handoffs replayed</dt>
              <dd>{s.replayed}</dd>
            </div>
            <div className={s.changed > 0 ? 'replay-changed' : undefined}>
              <dt>Changed</dt>
              <dd>{s.changed}</dd>
            </div>
            <div>
              <dt>Unchanged</dt>
              <dd>{s.unchanged}</dd>
            </div>
            <div>
              <dt>Skipped</dt>
              <dd>{s.skipped}</dd>
            </div>
          </dl>
          {s.skippedReasons.length > 0 && (
            <div className="replay-skipped">
              <h4 id="replay-skipped-title">Why handoffs were skipped</h4>
              <ul aria-labelledby="replay-skipped-title">
                {s.skippedReasons.map((r) => (
                  <li key={r.reason}>
                    <span className="replay-count">{r.count}</span> {r.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {s.byChange.length > 0 && (
            <table className="replay-table replay-moves">
              <caption>Where routing would change</caption>
              <thead>
                <tr>
                  <th scope="col">Recorded (rule → destination)</th>
                  <th scope="col">With the draft</th>
                  <th scope="col">Handoffs</th>
                </tr>
              </thead>
              <tbody>
                {s.byChange.map((c, i) => (
                  <tr key={i}>
                    <td data-label="Recorded">{ruleAndDestinationText(c.from)}</td>
                    <td data-label="With the draft">{ruleAndDestinationText(c.to)}</td>
                    <td data-label="Handoffs">{c.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {shown.items.length > 0 && (
            <table className="replay-table replay-items">
              <caption>
                Changed conversations ({shown.items.length} of {s.changed} shown)
              </caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Recorded</th>
                  <th scope="col">With the draft</th>
                  <th scope="col">Changed</th>
                  <th scope="col">
                    <span className="visually-hidden">Traces</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.items.map((item) => {
                  const id = `replay-row-${item.conversationId}-${item.seq}`;
                  const isOpen = compare?.item === item;
                  return (
                    <tr key={`${item.conversationId}:${item.seq}`} aria-current={isOpen ? 'true' : undefined}>
                      <td data-label="When">
                        <time dateTime={item.at}>{when(item.at)}</time>
                      </td>
                      <td data-label="Recorded">{decisionText(item.recorded, name)}</td>
                      <td data-label="With the draft">{decisionText(item.replayed, name)}</td>
                      <td data-label="Changed">{changedFieldsText(item.changed)}</td>
                      <td>
                        <button
                          type="button"
                          id={id}
                          aria-expanded={isOpen}
                          aria-controls="replay-compare"
                          onClick={() => {
                            openedFrom.current = id;
                            void view.openItem(item);
                          }}
                        >
                          Compare traces<span className="visually-hidden"> of the handoff at {when(item.at)}</span>
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {shown.nextCursor !== null && (
            <button type="button" onClick={() => void view.loadMore()} disabled={view.loadingMore}>
              {view.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          )}
        </>
      )}

      {compare !== null && (
        <section
          id="replay-compare"
          className="replay-compare"
          aria-labelledby="replay-compare-title"
          onKeyDown={(e) => {
            if (e.key === 'Escape') closeCompare();
          }}
        >
          <div className="replay-head">
            <h4 id="replay-compare-title" ref={compareHeading} tabIndex={-1}>
              The handoff at {when(compare.item.at)}: recorded and with the draft
            </h4>
            <button type="button" onClick={closeCompare} aria-label="Close the comparison">
              Close
            </button>
          </div>
          <p className="small">
            <a href={`/conversations/${encodeURIComponent(compare.item.conversationId)}`}>Open the conversation</a>
          </p>
          {compare.state === 'loading' && <p className="muted">Deciding it again…</p>}
          {compare.state === 'error' && (
            <p className="form-error" role="alert">
              The traces could not be loaded: {compare.message}
            </p>
          )}
          {compare.state === 'shown' && (
            <div className="replay-traces">
              <TraceSide title="Recorded" trace={compare.result.recordedTrace} directory={directory} empty="The recorded trace could not be read." />
              <TraceSide
                title="With the draft"
                trace={compare.result.replayedTrace}
                directory={directory}
                empty={
                  compare.result.item.skipped !== null
                    ? `Not replayed: ${compare.result.item.skipped}.`
                    : 'No rule of the draft takes this trigger: it would not have been handed off.'
                }
              />
            </div>
          )}
        </section>
      )}
    </section>
  );
}

/** One side of the comparison: where it went and the routing trace, shown as the handoff panel shows it. */
function TraceSide(props: { title: string; trace: HandoffTrace | null; directory: TraceDirectory; empty: string }) {
  const { title, trace, directory } = props;
  return (
    <section className="replay-trace" aria-label={title}>
      <h5>{title}</h5>
      {trace === null ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>Trigger</dt>
              <dd>{TRIGGER_LABELS[trace.trigger]}</dd>
            </div>
            <div>
              <dt>Rule</dt>
              <dd>
                <code>{trace.rule}</code>
              </dd>
            </div>
            <div>
              <dt>Destination</dt>
              <dd>{destinationText(trace.destination)}</dd>
            </div>
            <div>
              <dt>Outcome</dt>
              <dd>
                {trace.outcome === 'assigned'
                  ? `Assigned to ${userName(directory, trace.assignee) ?? 'an agent'}`
                  : trace.outcome === 'queued'
                    ? `Waiting in ${trace.queue ?? trace.team ?? 'the queue'}`
                    : `Kept with ${userName(directory, trace.assignee) ?? 'its owner'}`}
              </dd>
            </div>
          </dl>
          <TraceReasons trace={trace} directory={directory} />
          {trace.customerMessages.length > 0 && (
            <div className="replay-messages">
              <h6>The customer is told</h6>
              {trace.customerMessages.map((m, i) => (
                <p key={i} lang={m.language}>
                  {m.body}
                </p>
              ))}
            </div>
          )}
        </>
      )}
    </section>
  );
}
