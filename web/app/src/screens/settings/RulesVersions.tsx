import { useEffect, useState } from 'react';
import {
  api,
  ApiError,
  type RulesetDraftView,
  type RulesetVersionDiffView,
  type RulesetVersionSummary,
} from '../../api.js';
import { lastTestText, replayFreshness, rulesetKey, type LastReplay } from './rules/replay-view.js';

const json = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value));

/** The diff endpoint's answer as plain text lines: added, removed, changed, moved, fallback, settings. */
export function diffText(diff: RulesetVersionDiffView): string {
  if (diff.identical) return `Version ${diff.to} and version ${diff.from} have the same rules.`;
  const lines: string[] = [`From version ${diff.from} to version ${diff.to}:`];
  for (const a of diff.added) lines.push(`+ rule ${a.id} added at position ${a.index + 1}`);
  for (const r of diff.removed) lines.push(`- rule ${r.id} removed (was at position ${r.index + 1})`);
  for (const c of diff.changed) {
    lines.push(`~ rule ${c.id} changed:`);
    for (const f of c.fields) lines.push(`    ${f.field}: ${json(f.before)} → ${json(f.after)}`);
  }
  for (const m of diff.moved) lines.push(`↕ rule ${m.id} moved from position ${m.from + 1} to ${m.to + 1}`);
  for (const f of diff.fallback) lines.push(`~ fallback ${f.field}: ${json(f.before)} → ${json(f.after)}`);
  for (const f of diff.settings) lines.push(`~ ${f.field}: ${json(f.before)} → ${json(f.after)}`);
  return lines.join('\n');
}

const when = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** `user:olu` or `olu` → `olu`; nobody → "someone". */
const bareActor = (actor: string | null): string => (actor === null ? 'someone' : actor.replace(/^user:/, ''));

/** Rules versions (issue 4): every published version, a diff against the active one, restore with a confirm step. */
export function RulesVersions({
  refreshKey,
  onRestored,
  lastReplay = null,
  editorDirty = false,
  onTest,
}: {
  refreshKey: number;
  onRestored: () => void;
  /** The last test against past conversations (the rules editor's), shown in the publish form. */
  lastReplay?: LastReplay | null;
  /** The editor holds edits that are not in the saved draft. */
  editorDirty?: boolean;
  /** Run the test against past conversations (the editor's panel). */
  onTest?: () => void;
}) {
  const [versions, setVersions] = useState<RulesetVersionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [diff, setDiff] = useState<{ title: string; text: string } | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [restoreSummary, setRestoreSummary] = useState('');
  const [keepDraft, setKeepDraft] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [draft, setDraft] = useState<RulesetDraftView | null>(null);
  const [publishSummary, setPublishSummary] = useState('');

  useEffect(() => {
    let live = true;
    api
      .rulesetVersions()
      .then((list) => live && setVersions(list.items))
      .catch(
        (e: unknown) =>
          live && setError(e instanceof ApiError ? e.message : 'The versions could not be loaded.'),
      );
    api
      .rulesetDraft()
      .then((d) => live && setDraft(d))
      .catch(() => live && setDraft(null));
    return () => {
      live = false;
    };
  }, [refreshKey, reload]);

  const activeVersion = versions?.find((v) => v.active) ?? null;
  const active = activeVersion?.version ?? null;
  /** A saved draft that differs from the active rules: a restore resets it unless the admin keeps it. */
  const pendingDraft = draft !== null && draft.saved && draft.changed;

  const showDiff = async (version: number) => {
    setError(null);
    try {
      const against = version === active ? null : active;
      const result = await api.rulesetDiff(version, against);
      const title =
        against === null
          ? `Changes in version ${version} (against the one before)`
          : `Version ${version} against the active version ${against}`;
      setDiff({ title, text: diffText(result) });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The diff could not be loaded.');
    }
  };

  const restore = async (version: number) => {
    setError(null);
    try {
      const keep = keepDraft && pendingDraft;
      const restored = await api.restoreRuleset(version, restoreSummary.trim(), keep);
      setNotice(
        `Version ${version} was restored as the new version ${restored.version}.` +
          (keep ? ' Your saved draft was kept.' : pendingDraft ? ' The draft now starts from the restored rules.' : ''),
      );
      setConfirming(null);
      setRestoreSummary('');
      setKeepDraft(false);
      setDiff(null);
      setReload((n) => n + 1);
      onRestored();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The version could not be restored.');
    }
  };

  const markReviewed = async () => {
    setError(null);
    try {
      await api.reviewRuleset();
      setNotice('The rules are marked reviewed; the next reminder counts from now.');
      setReload((n) => n + 1);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The rules could not be marked reviewed.');
    }
  };

  const draftKey = draft === null ? '' : rulesetKey(draft.ruleset);
  const lastTest = lastTestText(lastReplay, draftKey, Date.now());
  const tested = replayFreshness(lastReplay, draftKey);

  const publish = async () => {
    setError(null);
    try {
      const published = await api.publishRuleset(publishSummary.trim());
      setNotice(`The draft was published as version ${published.version}. ${lastTest}`);
      setPublishSummary('');
      setDiff(null);
      setReload((n) => n + 1);
      onRestored();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The draft could not be published.');
    }
  };

  return (
    <section className="settings-section" aria-labelledby="rules-versions-title">
      <h2 id="rules-versions-title">Rules versions</h2>
      <p className="muted small">
        Every published ruleset, newest first. Restoring publishes an old version&apos;s rules again as a new
        version.
      </p>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {notice !== null && (
        <p className="settings-ok" role="status">
          {notice}
        </p>
      )}
      {activeVersion !== null && (
        <div className="rules-review-status settings-actions" role="group" aria-label="Rules review">
          <p className="small">
            Last reviewed {when(activeVersion.reviewedAt ?? activeVersion.createdAt)} by{' '}
            {bareActor(activeVersion.reviewedBy ?? activeVersion.author)}
            {activeVersion.reviewDueAt === null ? '' : `, next review due ${when(activeVersion.reviewDueAt)}`}
            {activeVersion.reviewDueAt !== null && Date.parse(activeVersion.reviewDueAt) <= Date.now() ? ' (overdue)' : ''}.
          </p>
          <button type="button" onClick={() => void markReviewed()}>
            Mark reviewed
          </button>
        </div>
      )}
      {draft !== null && draft.saved && draft.changed && (
        <div className="rules-draft" role="group" aria-labelledby="rules-draft-title">
          <h3 id="rules-draft-title">Unpublished draft</h3>
          <p className="small">
            Saved by {draft.updatedBy ?? 'someone'}
            {draft.updatedAt === null ? '' : ` on ${when(draft.updatedAt)}`}; it differs from the active
            version {draft.activeVersion ?? '—'} ({draft.ruleset.rules.length} rules).
          </p>
          {draft.outdated && (
            <p className="form-error small">
              A version was published after this draft was saved: publishing it would undo that version&apos;s
              changes.
            </p>
          )}
          {draft.warnings.length > 0 && (
            <ul className="problem-list warning-list" aria-label="Draft warnings">
              {draft.warnings.map((w, i) => (
                <li key={i}>
                  <code className="problem-path">{w.path}</code>
                  <span className="problem-message">{w.message}</span>
                </li>
              ))}
            </ul>
          )}
          <div className={tested === 'fresh' ? 'rules-last-test' : 'rules-last-test rules-last-test-warn'}>
            <p className="small" id="rules-last-test" aria-live="polite">
              {lastTest}
              {editorDirty && ' The editor above holds unsaved edits: they are not part of this draft.'}
            </p>
            {onTest !== undefined && (
              <button type="button" onClick={onTest}>
                {tested === 'none' ? 'Test the draft against past conversations' : 'Test the draft again'}
              </button>
            )}
          </div>
          <form
            className="settings-actions"
            aria-describedby="rules-last-test"
            onSubmit={(e) => {
              e.preventDefault();
              void publish();
            }}
          >
            <label className="settings-summary">
              <span>Publish summary (required)</span>
              <input
                type="text"
                required
                maxLength={500}
                value={publishSummary}
                onChange={(e) => setPublishSummary(e.target.value)}
              />
            </label>
            <button type="submit" className="primary" disabled={publishSummary.trim() === ''}>
              Publish draft
            </button>
          </form>
        </div>
      )}
      {versions === null ? (
        <p className="muted">Loading versions…</p>
      ) : versions.length === 0 ? (
        <p className="muted">No ruleset has been published yet.</p>
      ) : (
        <table className="versions-table">
          <caption className="visually-hidden">Ruleset versions</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Author</th>
              <th scope="col">Published</th>
              <th scope="col">Summary</th>
              <th scope="col">Rules</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} aria-current={v.active ? 'true' : undefined}>
                <td>
                  v{v.version}
                  {v.active && <span className="version-active"> active</span>}
                </td>
                <td>{v.author ?? '—'}</td>
                <td>
                  <time dateTime={v.createdAt}>{when(v.createdAt)}</time>
                </td>
                <td className="version-summary">{v.summary ?? '—'}</td>
                <td>{v.rules}</td>
                <td>
                  <div className="version-actions">
                    <button
                      type="button"
                      onClick={() => void showDiff(v.version)}
                      aria-label={
                        v.active
                          ? `Changes in version ${v.version}`
                          : `Compare version ${v.version} with the active version`
                      }
                    >
                      {v.active ? 'Changes' : 'Compare with active'}
                    </button>
                    {!v.active && (
                      <button
                        type="button"
                        onClick={() => setConfirming(v.version)}
                        aria-label={`Restore version ${v.version}`}
                      >
                        Restore…
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {confirming !== null && (
        <div
          className="restore-confirm"
          role="group"
          aria-labelledby="restore-title"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setConfirming(null);
          }}
        >
          <h3 id="restore-title">Restore version {confirming}?</h3>
          <p className="small">
            Its rules become a new active version; the workspace document above reloads unless it holds edits.
          </p>
          <label>
            <span>Restore summary (optional)</span>
            <input
              type="text"
              maxLength={500}
              value={restoreSummary}
              onChange={(e) => setRestoreSummary(e.target.value)}
            />
          </label>
          {pendingDraft && (
            <label className="choice-inline">
              <input type="checkbox" checked={keepDraft} onChange={(e) => setKeepDraft(e.target.checked)} />
              <span>Keep my saved draft (otherwise the draft starts again from the restored rules)</span>
            </label>
          )}
          <div className="settings-actions">
            <button type="button" className="primary" onClick={() => void restore(confirming)}>
              Confirm restore of version {confirming}
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}

      {diff !== null && (
        <div className="version-diff" role="region" aria-label="Ruleset diff">
          <h3>{diff.title}</h3>
          <pre>{diff.text}</pre>
        </div>
      )}
    </section>
  );
}
