import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api, ApiError, type RulesetDraftView } from '../../api.js';
import type { Directory as TraceDirectory } from '../../components/directory.js';
import { RulesReplay, useRulesReplay } from './RulesReplay.js';
import { RulesVersions } from './RulesVersions.js';
import { ActionEditor, type Directory } from './rules/ActionEditor.js';
import {
  duplicateRule,
  insertItem,
  moveItem,
  newRule,
  problemsUnder,
  removeItem,
  type Problem,
  type Rule,
  type RuleAction,
} from './rules/edit-rules.js';
import { CHANNEL_TYPES, PRIORITIES, TRIGGERS, WEEKDAYS } from './rules/options.js';
import { FieldProblems, invalidProps } from './rules/form-bits.js';
import { RuleForm } from './rules/RuleForm.js';
import { describeAction, summarizeRule } from './rules/summarize-rule.js';
import { rulesetKey, type LastReplay } from './rules/replay-view.js';

type Ruleset = RulesetDraftView['ruleset'];

/** A rule in the editor with a key that survives moves and id edits (React's list key). */
interface Item {
  readonly key: string;
  readonly rule: Rule;
}

type Status = { kind: 'ok' | 'error' | 'busy'; text: string } | null;

const EMPTY_DIRECTORY: Directory = { users: [], teams: [], queues: [], schedules: [], channels: [] };
const EMPTY_TRACE_DIRECTORY: TraceDirectory = { users: [], teams: [], queues: [], channels: [] };

/** The last test against past conversations, kept for the tab's session (settings sections are page loads). */
const LAST_REPLAY = 'baton.rules.lastReplay';
function readLastReplay(): LastReplay | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(LAST_REPLAY) ?? 'null') as LastReplay | null;
    return stored !== null && typeof stored.draftKey === 'string' && typeof stored.ranAt === 'number' ? stored : null;
  } catch {
    return null;
  }
}
const FALLBACK = 'fallback';

/** `rules[3].then…` → 3 */
const ruleIndexOf = (path: string): number | null => {
  const match = /^rules\[(\d+)\]/.exec(path);
  return match === null ? null : Number(match[1]);
};

/**
 * Settings → Handoff rules (issue 4): the ordered rules as sentences, each editable as a form
 * (when / if / then), reorderable, duplicated or deleted; the fallback last. Edits are saved as the
 * draft (the server checks it and names every problem's field); the draft is published with a
 * summary in the versions section, which also diffs and restores versions.
 */
export function RulesSettings() {
  const [draft, setDraft] = useState<RulesetDraftView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [items, setItems] = useState<readonly Item[]>([]);
  const [fallback, setFallback] = useState<RuleAction | null>(null);
  const [reviewEvery, setReviewEvery] = useState('90d');
  const [dirty, setDirty] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [status, setStatus] = useState<Status>(null);
  const [versionsKey, setVersionsKey] = useState(0);
  const [directory, setDirectory] = useState<Directory>(EMPTY_DIRECTORY);
  const [traceDirectory, setTraceDirectory] = useState<TraceDirectory>(EMPTY_TRACE_DIRECTORY);
  const [lastReplay, setLastReplay] = useState<LastReplay | null>(readLastReplay);
  const nextKey = useRef(0);
  /** After a move the focus goes back to the moved rule's button (its element may be re-created). */
  const focusAfter = useRef<string | null>(null);

  const adopt = useCallback((ruleset: Ruleset) => {
    setItems(ruleset.rules.map((rule) => ({ key: `rule-${nextKey.current++}`, rule })));
    setFallback(ruleset.fallback);
    setReviewEvery(ruleset.reviewEvery);
    setDirty(false);
    setProblems([]);
    setOpen(null);
    setConfirmDelete(null);
  }, []);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const current = await api.rulesetDraft();
      setDraft(current);
      adopt(current.ruleset);
    } catch (error) {
      setLoadError(error instanceof ApiError ? error.message : 'The rules could not be loaded.');
    }
  }, [adopt]);

  useEffect(() => {
    void load();
    let live = true;
    // A list that cannot be read leaves its choices empty; the rest of the form still works.
    const listOf = <T,>(p: Promise<{ items: T[] }>): Promise<T[]> => p.then((r) => r.items).catch(() => []);
    void Promise.all([
      listOf(api.users()),
      listOf(api.teams()),
      listOf(api.queues()),
      listOf(api.schedules()),
      listOf(api.channels()),
    ]).then(([users, teams, queues, schedules, channels]) => {
      if (!live) return;
      setDirectory({
        users: users.map((u) => ({ id: u.id, name: u.name })),
        teams: teams.map((t) => ({ id: t.id, name: t.name })),
        queues: queues.map((q) => ({ id: q.id, name: q.name })),
        schedules: schedules.map((s) => s.id),
        channels: channels.map((c) => c.id),
      });
      setTraceDirectory({ users, teams, queues, channels });
    });
    return () => {
      live = false;
    };
  }, [load]);

  // Leaving the page (another settings section is another page load) would lose unsaved edits.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  useLayoutEffect(() => {
    const id = focusAfter.current;
    if (id === null) return;
    focusAfter.current = null;
    const wanted = document.getElementById(id);
    // Moved to the top (or bottom), its Up (or Down) button is disabled: the other one takes the focus.
    if (wanted instanceof HTMLButtonElement && wanted.disabled) {
      document
        .getElementById(id.replace(/-(up|down)$/, (_, d: string) => (d === 'up' ? '-down' : '-up')))
        ?.focus();
    } else wanted?.focus();
  });

  const change = (next: readonly Item[], structural: boolean) => {
    setItems(next);
    setDirty(true);
    setConfirmDelete(null);
    // Problems name rules by position: once rules move they would point at the wrong ones.
    if (structural) setProblems([]);
  };

  const update = (key: string, rule: Rule) =>
    change(
      items.map((item) => (item.key === key ? { key, rule } : item)),
      false,
    );

  const move = (index: number, to: number, direction: 'up' | 'down') => {
    const item = items[index];
    if (item === undefined) return;
    focusAfter.current = `${item.key}-${direction}`;
    change(moveItem(items, index, to), true);
  };

  const duplicate = (index: number) => {
    const copy = duplicateRule(
      items.map((i) => i.rule),
      index,
    )[index + 1];
    if (copy === undefined) return;
    const key = `rule-${nextKey.current++}`;
    change(insertItem(items, index + 1, { key, rule: copy }), true);
    setOpen(key);
  };

  const remove = (index: number) => {
    const next = removeItem(items, index);
    // The deleted rule's buttons are gone: the focus goes to the rule now in its place.
    const after = next[index];
    focusAfter.current = after === undefined ? 'rules-add' : `${after.key}-edit`;
    change(next, true);
    setOpen(null);
  };

  const add = () => {
    if (fallback === null) return;
    const rule = newRule(
      items.map((i) => i.rule),
      directory.queues[0] === undefined ? fallback.destination : { queue: directory.queues[0].id },
    );
    const key = `rule-${nextKey.current++}`;
    change([...items, { key, rule }], true);
    setOpen(key);
    focusAfter.current = `${key}-id`;
  };

  const ruleset = (): Ruleset | null =>
    fallback === null ? null : { reviewEvery, rules: items.map((i) => i.rule), fallback };

  /** Save the editor's rules as the draft: the saved draft, or null when refused (the problems are shown). */
  const save = async (): Promise<RulesetDraftView | null> => {
    const current = ruleset();
    if (current === null) return null;
    setStatus({ kind: 'busy', text: 'Saving the draft…' });
    try {
      const saved = await api.saveRulesetDraft(current);
      setDraft(saved);
      setDirty(false);
      setProblems([]);
      setStatus({
        kind: 'ok',
        text: saved.changed
          ? 'Draft saved. Nothing routes differently until it is published (under Rules versions below).'
          : 'Draft saved. It is the same as the active version.',
      });
      setVersionsKey((n) => n + 1);
      return saved;
    } catch (error) {
      if (error instanceof ApiError && error.details.length > 0) {
        setProblems(error.details);
        setStatus({
          kind: 'error',
          text: `Not saved: ${error.message}. Each problem is shown next to its field.`,
        });
        // Open the first rule with a problem, so the problem shows next to its field.
        const first = error.details
          .map((p) => (p.path.startsWith('fallback') ? -1 : ruleIndexOf(p.path)))
          .find((i) => i !== null);
        if (first === -1) setOpen(FALLBACK);
        else if (first !== undefined && first !== null) {
          const item = items[first];
          if (item !== undefined) setOpen(item.key);
        }
      } else {
        setStatus({
          kind: 'error',
          text:
            error instanceof ApiError
              ? `Not saved: ${error.message}`
              : 'Not saved: the server could not be reached.',
        });
      }
      return null;
    }
  };

  // The test replays the saved draft: unsaved edits are saved first (the server's one draft, not a copy).
  const prepareReplay = async (): Promise<string | null> => {
    if (!dirty) return draft === null ? null : rulesetKey(draft.ruleset);
    const saved = await save();
    return saved === null ? null : rulesetKey(saved.ruleset);
  };
  const keepLastReplay = useCallback((last: LastReplay) => {
    setLastReplay(last);
    try {
      sessionStorage.setItem(LAST_REPLAY, JSON.stringify(last));
    } catch {
      // Storage refused (private mode, full): the result still shows until the page is left.
    }
  }, []);
  const replay = useRulesReplay({ prepare: prepareReplay, onResult: keepLastReplay });

  const discard = async () => {
    setConfirmDiscard(false);
    setStatus({ kind: 'busy', text: 'Discarding the draft…' });
    try {
      const active = await api.activeRuleset();
      const saved = await api.saveRulesetDraft(active.ruleset);
      setDraft(saved);
      adopt(saved.ruleset);
      setStatus({
        kind: 'ok',
        text: `The draft was discarded: the rules are those of the active version ${active.version}.`,
      });
      setVersionsKey((n) => n + 1);
    } catch (error) {
      setStatus({
        kind: 'error',
        text:
          error instanceof ApiError
            ? `Not discarded: ${error.message}`
            : 'Not discarded: the server could not be reached.',
      });
    }
  };

  /** A version was published or restored below: reload, unless the editor holds unsaved edits. */
  const onVersionsChanged = () => {
    void api
      .rulesetDraft()
      .then((current) => {
        setDraft(current);
        if (dirty)
          setStatus({
            kind: 'ok',
            text: 'The active rules changed. Your unsaved edits are kept: save them to make them the draft.',
          });
        else {
          adopt(current.ruleset);
          setStatus(null);
        }
      })
      .catch(() => undefined);
  };

  if (loadError !== null) {
    return (
      <p className="form-error" role="alert">
        {loadError}
      </p>
    );
  }
  if (draft === null || fallback === null) return <p className="muted">Loading the rules…</p>;

  const state = dirty
    ? 'Unsaved changes: save the draft to keep them.'
    : draft.saved && draft.changed
      ? `Saved draft, different from the active version ${draft.activeVersion ?? '—'}: publish it under Rules versions below.`
      : `No draft changes: these are the rules of the active version ${draft.activeVersion ?? '—'}.`;
  const fallbackProblems = problemsUnder(problems, [FALLBACK]);

  return (
    <>
      <section className="settings-section rules-editor" aria-labelledby="rules-title">
        <h2 id="rules-title">Handoff rules</h2>
        <p className="muted small">
          Rules are tried from the top: the first rule whose triggers and conditions match wins. The fallback
          takes every handoff that no rule matched, so none is dropped.
        </p>

        <div className="rules-bar">
          <p className={dirty ? 'rules-state rules-state-dirty' : 'rules-state'} aria-live="polite">
            {state}
          </p>
          <div className="rules-bar-actions">
            <button
              type="button"
              className="primary"
              onClick={() => void save()}
              disabled={!dirty || status?.kind === 'busy'}
            >
              Save draft
            </button>
            <button
              type="button"
              onClick={() => void replay.run()}
              disabled={replay.running || status?.kind === 'busy'}
              aria-controls="replay-panel"
              aria-label="Test against past conversations"
            >
              {/* On a phone the bar shows "Test" (the name keeps the whole label). */}
              Test<span className="wide-only"> against past conversations</span>
            </button>
            {dirty && (
              <button
                type="button"
                onClick={() => adopt(draft.ruleset)}
                aria-label="Undo the unsaved changes"
              >
                Undo changes
              </button>
            )}
            {(draft.saved && draft.changed) || dirty ? (
              <button type="button" onClick={() => setConfirmDiscard(true)} aria-label="Discard the draft…">
                Discard…
              </button>
            ) : null}
          </div>
        </div>
        {confirmDiscard && (
          <div
            className="rules-confirm"
            role="group"
            aria-label="Discard the draft?"
            onKeyDown={(e) => {
              if (e.key === 'Escape') setConfirmDiscard(false);
            }}
          >
            <p>
              Discard the draft and every unsaved change? The rules go back to the active version{' '}
              {draft.activeVersion ?? ''}.
            </p>
            <div className="settings-actions">
              <button type="button" className="primary" onClick={() => void discard()}>
                Discard the draft
              </button>
              <button type="button" autoFocus onClick={() => setConfirmDiscard(false)}>
                Keep it
              </button>
            </div>
          </div>
        )}
        {draft.outdated && !dirty && (
          <p className="form-error small">
            A version was published after this draft was saved: publishing the draft would undo that
            version&apos;s changes.
          </p>
        )}
        {status !== null && (
          <p
            className={
              status.kind === 'error' ? 'form-error' : status.kind === 'ok' ? 'settings-ok' : 'muted'
            }
            role={status.kind === 'error' ? 'alert' : 'status'}
          >
            {status.text}
          </p>
        )}
        {problems.length > 0 && (
          <ul className="problem-list" aria-label="Problems">
            {problems.map((p, i) => (
              <li key={i}>
                <code className="problem-path">{p.path}</code>
                <span className="problem-message">{p.message}</span>
              </li>
            ))}
          </ul>
        )}
        {draft.warnings.length > 0 && !dirty && (
          <ul className="problem-list warning-list" aria-label="Warnings">
            {draft.warnings.map((w, i) => (
              <li key={i}>
                <code className="problem-path">{w.path}</code>
                <span className="problem-message">{w.message}</span>
              </li>
            ))}
          </ul>
        )}

        <div id="replay-panel">
          <RulesReplay
            control={replay}
            channels={traceDirectory.channels.map((c) => ({ id: c.id, name: c.name ?? c.id }))}
            queues={traceDirectory.queues.map((q) => ({ id: q.id, name: q.name ?? q.id }))}
            directory={traceDirectory}
            stale={dirty || (lastReplay !== null && lastReplay.draftKey !== rulesetKey(draft.ruleset))}
          />
        </div>

        <ol className="rules-list" aria-label="Rules, in order">
          {items.map((item, index) => {
            const { key, rule } = item;
            const name = rule.id === '' ? `rule ${index + 1}` : rule.id;
            const own = problemsUnder(problems, ['rules', index]);
            const isOpen = open === key;
            return (
              <li
                key={key}
                className={isOpen ? 'rule-item rule-open' : 'rule-item'}
                aria-label={`Rule ${index + 1}: ${name}`}
              >
                <div className="rule-head">
                  <span className="rule-pos" aria-hidden="true">
                    {index + 1}
                  </span>
                  <div className="rule-text">
                    <h3>
                      {name}
                      {!rule.enabled && <span className="rule-off"> turned off</span>}
                    </h3>
                    {rule.description !== undefined && <p className="rule-description">{rule.description}</p>}
                    <p className="rule-summary">{summarizeRule(rule)}</p>
                    {own.length > 0 && !isOpen && (
                      <p className="form-error small">
                        {own.length === 1 ? '1 problem' : `${own.length} problems`}: edit the rule to see
                        where.
                      </p>
                    )}
                  </div>
                  <div className="rule-actions">
                    <button
                      type="button"
                      id={`${key}-up`}
                      onClick={() => move(index, index - 1, 'up')}
                      disabled={index === 0}
                      aria-label={`Move ${name} up`}
                    >
                      ↑ Up
                    </button>
                    <button
                      type="button"
                      id={`${key}-down`}
                      onClick={() => move(index, index + 1, 'down')}
                      disabled={index === items.length - 1}
                      aria-label={`Move ${name} down`}
                    >
                      ↓ Down
                    </button>
                    <button
                      type="button"
                      id={`${key}-edit`}
                      onClick={() => setOpen(isOpen ? null : key)}
                      aria-expanded={isOpen}
                      aria-controls={`${key}-form`}
                      aria-label={isOpen ? `Close ${name}` : `Edit ${name}`}
                    >
                      {isOpen ? 'Close' : 'Edit'}
                    </button>
                    <button type="button" onClick={() => duplicate(index)} aria-label={`Duplicate ${name}`}>
                      Duplicate
                    </button>
                    <button
                      type="button"
                      id={`${key}-delete`}
                      onClick={() => setConfirmDelete(key)}
                      aria-label={`Delete ${name}`}
                    >
                      Delete…
                    </button>
                  </div>
                </div>
                {confirmDelete === key && (
                  <div
                    className="rules-confirm"
                    role="group"
                    aria-label={`Delete ${name}?`}
                    onKeyDown={(e) => {
                      if (e.key === 'Escape') {
                        setConfirmDelete(null);
                        focusAfter.current = `${key}-delete`;
                      }
                    }}
                  >
                    <p>Delete the rule {name}? It goes when the draft is saved and published.</p>
                    <div className="settings-actions">
                      <button type="button" className="primary" onClick={() => remove(index)}>
                        Delete {name}
                      </button>
                      <button
                        type="button"
                        autoFocus
                        onClick={() => {
                          setConfirmDelete(null);
                          focusAfter.current = `${key}-delete`;
                        }}
                      >
                        Keep it
                      </button>
                    </div>
                  </div>
                )}
                {isOpen && (
                  <div id={`${key}-form`} role="group" aria-label={`Edit rule ${name}`}>
                    <RuleForm
                      rule={rule}
                      path={['rules', index]}
                      problems={problems}
                      directory={directory}
                      onChange={(next) => update(key, next)}
                      idFor={`${key}-id`}
                    />
                    <RuleFormFoot onClose={() => setOpen(null)} onSave={() => void save()} saveDisabled={!dirty || status?.kind === 'busy'} />
                  </div>
                )}
              </li>
            );
          })}
          <li
            className={open === FALLBACK ? 'rule-item rule-fallback rule-open' : 'rule-item rule-fallback'}
            aria-label="Fallback"
          >
            <div className="rule-head">
              <span className="rule-pos" aria-hidden="true">
                {items.length + 1}
              </span>
              <div className="rule-text">
                <h3>Fallback</h3>
                <p className="rule-summary">Every other handoff: {describeAction(fallback)}.</p>
                <p className="muted small">Always last; it cannot be moved or deleted.</p>
                {fallbackProblems.length > 0 && open !== FALLBACK && (
                  <p className="form-error small">
                    {fallbackProblems.length === 1 ? '1 problem' : `${fallbackProblems.length} problems`}:
                    edit the fallback to see where.
                  </p>
                )}
              </div>
              <div className="rule-actions">
                <button
                  type="button"
                  onClick={() => setOpen(open === FALLBACK ? null : FALLBACK)}
                  aria-expanded={open === FALLBACK}
                  aria-controls="fallback-form"
                  aria-label={open === FALLBACK ? 'Close the fallback' : 'Edit the fallback'}
                >
                  {open === FALLBACK ? 'Close' : 'Edit'}
                </button>
              </div>
            </div>
            {open === FALLBACK && (
              <div id="fallback-form" role="group" aria-label="Edit the fallback">
                <ActionEditor
                  action={fallback}
                  path={[FALLBACK]}
                  problems={problems}
                  directory={directory}
                  onChange={(next) => {
                    setFallback(next);
                    setDirty(true);
                  }}
                />
                <RuleFormFoot onClose={() => setOpen(null)} onSave={() => void save()} saveDisabled={!dirty || status?.kind === 'busy'} />
              </div>
            )}
          </li>
        </ol>
        <div className="settings-actions rules-foot">
          <button type="button" id="rules-add" onClick={add}>
            Add rule
          </button>
          <label className="form-field rules-review">
            <span>Review the rules every</span>
            <input
              type="text"
              value={reviewEvery}
              onChange={(e) => {
                setReviewEvery(e.target.value.trim());
                setDirty(true);
              }}
              {...invalidProps(['reviewEvery'], problemsUnder(problems, ['reviewEvery']))}
            />
          </label>
          <FieldProblems path={['reviewEvery']} problems={problemsUnder(problems, ['reviewEvery'])} />
        </div>
        <p className="muted small">
          New rules go just above the fallback; move them up to take handoffs before other rules.
        </p>

        <datalist id="rules-dl-channel">
          {[...directory.channels, ...CHANNEL_TYPES].map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <datalist id="rules-dl-priority">
          {PRIORITIES.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <datalist id="rules-dl-trigger">
          {TRIGGERS.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <datalist id="rules-dl-weekday">
          {WEEKDAYS.map((d) => (
            <option key={d} value={d} />
          ))}
        </datalist>
        <datalist id="rules-dl-language">
          {['en', 'es', 'fr', 'de', 'pt'].map((l) => (
            <option key={l} value={l} />
          ))}
        </datalist>
        <datalist id="rules-dl-user">
          {directory.users.map((u) => (
            <option key={u.id} value={u.id} />
          ))}
        </datalist>
        <datalist id="rules-dl-status">
          {['bot', 'queued', 'assigned', 'waiting_on_customer', 'resolved', 'closed'].map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </section>
      <div className="rules-history">
        <RulesVersions
          refreshKey={versionsKey}
          onRestored={onVersionsChanged}
          lastReplay={lastReplay}
          editorDirty={dirty}
          onTest={() => {
            void replay.run();
            document.getElementById('replay-panel')?.scrollIntoView({ block: 'start' });
          }}
        />
      </div>
    </>
  );
}

/** The foot of an open rule's form: close it, or save the whole draft. */
function RuleFormFoot(props: { onClose: () => void; onSave: () => void; saveDisabled: boolean }) {
  return (
    <div className="settings-actions rule-form-foot">
      <button type="button" onClick={props.onClose}>
        Close the form
      </button>
      <button type="button" className="primary" onClick={props.onSave} disabled={props.saveDisabled}>
        Save draft
      </button>
    </div>
  );
}
