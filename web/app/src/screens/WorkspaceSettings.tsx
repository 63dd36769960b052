import { useCallback, useEffect, useRef, useState } from 'react';
import {
  api,
  ApiError,
  DocumentError,
  type ConfigApplyOutcome,
  type ConfigProblem,
} from '../api.js';
import { ProblemList } from '../components/ProblemList.js';
import { RulesVersions } from './settings/RulesVersions.js';

type Outcome =
  | { kind: 'none' }
  | { kind: 'busy'; text: string }
  | { kind: 'valid'; outcome: ConfigApplyOutcome }
  | { kind: 'applied'; outcome: ConfigApplyOutcome }
  | { kind: 'invalid'; action: 'validate' | 'apply'; message: string; problems: ConfigProblem[] }
  | { kind: 'error'; message: string };

/**
 * Settings (admins, issue 4): the whole workspace as one YAML document — view, validate with every
 * problem listed by path and line, apply (an invalid document changes nothing) — and the ruleset
 * versions with their diffs and restore.
 */
export function WorkspaceSettings() {
  const [text, setText] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [summary, setSummary] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const [versionsKey, setVersionsKey] = useState(0);
  /** The text as last loaded or applied: a restore reloads the editor only when it holds no edits. */
  const [loaded, setLoaded] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const current = await api.configYaml();
      setText(current);
      setLoaded(current);
      setStale(false);
      setOutcome({ kind: 'none' });
    } catch (error) {
      setLoadError(error instanceof ApiError ? error.message : 'The workspace could not be loaded.');
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const send = async (dryRun: boolean) => {
    if (text === null) return;
    setOutcome({ kind: 'busy', text: dryRun ? 'Validating…' : 'Applying…' });
    try {
      const result = await api.putConfigYaml(text, { dryRun, summary: summary.trim() });
      setOutcome({ kind: dryRun ? 'valid' : 'applied', outcome: result });
      if (!dryRun) {
        setLoaded(text);
        setStale(false);
        setSummary('');
        setVersionsKey((k) => k + 1);
      }
    } catch (error) {
      if (error instanceof DocumentError && error.status === 422) {
        setOutcome({
          kind: 'invalid',
          action: dryRun ? 'validate' : 'apply',
          message: error.message,
          problems: error.problems,
        });
      } else {
        setOutcome({
          kind: 'error',
          message: error instanceof ApiError ? error.message : 'Baton is not reachable right now.',
        });
      }
    }
  };

  /** Move the caret to the start of a line of the document and scroll it into view. */
  const goToLine = (line: number, column = 1) => {
    const area = editor.current;
    if (area === null) return;
    const lines = area.value.split('\n');
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += (lines[i] ?? '').length + 1;
    offset += Math.max(0, Math.min(column - 1, (lines[line - 1] ?? '').length));
    area.focus();
    area.setSelectionRange(offset, offset);
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (line - 4) * lineHeight);
  };

  const warnings = outcome.kind === 'valid' || outcome.kind === 'applied' ? outcome.outcome.warnings : [];

  return (
    <>
      <section className="settings-section" aria-labelledby="workspace-yaml-title">
        <h2 id="workspace-yaml-title">Workspace (baton.yaml)</h2>
        <p className="muted small">
          The whole workspace — schedules, users, teams, queues, channels, knowledge and rules — as one
          document. Validate checks every problem; Apply makes the workspace match it. A document with
          problems is never applied.
        </p>
        {stale && (
          <p className="notice" role="status">
            The rules changed after this document was loaded. Reload to see them (your edits here would be
            replaced); applying this document as it is would publish its own rules again.
          </p>
        )}
        {loadError !== null && (
          <p className="form-error" role="alert">
            {loadError}
          </p>
        )}
        <div className="settings-grid">
          <div className="settings-editor">
            <label htmlFor="workspace-yaml">Workspace YAML</label>
            <textarea
              id="workspace-yaml"
              ref={editor}
              spellCheck={false}
              autoCapitalize="off"
              autoCorrect="off"
              wrap="off"
              value={text ?? ''}
              disabled={text === null}
              placeholder={text === null ? 'Loading the workspace…' : undefined}
              onChange={(e) => setText(e.target.value)}
              aria-describedby="settings-outcome"
            />
            <div className="settings-actions">
              <label className="settings-summary">
                <span>Change summary (optional)</span>
                <input
                  type="text"
                  maxLength={500}
                  value={summary}
                  onChange={(e) => setSummary(e.target.value)}
                  placeholder="What changed and why"
                />
              </label>
              <button type="button" onClick={() => void load()} disabled={outcome.kind === 'busy'}>
                Reload
              </button>
              <button
                type="button"
                onClick={() => void send(true)}
                disabled={text === null || outcome.kind === 'busy'}
              >
                Validate
              </button>
              <button
                type="button"
                className="primary"
                onClick={() => void send(false)}
                disabled={text === null || outcome.kind === 'busy'}
              >
                Apply
              </button>
            </div>
          </div>

          <div className="settings-side">
            <div id="settings-outcome" role="status" aria-live="polite" className="settings-outcome">
              {outcome.kind === 'none' && <p className="muted">Edit the document, then Validate or Apply.</p>}
              {outcome.kind === 'busy' && <p className="muted">{outcome.text}</p>}
              {outcome.kind === 'valid' && (
                <p className="settings-ok">The document is valid. Nothing was changed yet.</p>
              )}
              {outcome.kind === 'applied' && (
                <p className="settings-ok">
                  {outcome.outcome.changed
                    ? `Applied: workspace revision ${outcome.outcome.revision}`
                    : 'Nothing to change: the document is already the workspace'}
                  {outcome.outcome.publishedVersion !== null
                    ? `; rules published as version ${outcome.outcome.publishedVersion}.`
                    : outcome.outcome.rulesetVersion !== null
                      ? `; the rules did not change (active version ${outcome.outcome.rulesetVersion}).`
                      : '.'}
                </p>
              )}
              {outcome.kind === 'invalid' && (
                <p className="form-error">
                  {outcome.action === 'apply' ? 'Not applied: ' : ''}
                  {outcome.message}
                </p>
              )}
              {outcome.kind === 'error' && <p className="form-error">{outcome.message}</p>}
            </div>

            <ProblemList title="Problems" tone="problem" problems={outcome.kind === 'invalid' ? outcome.problems : []} onGoToLine={goToLine} />
            <ProblemList title="Warnings" tone="warning" problems={warnings} onGoToLine={goToLine} />
          </div>
        </div>
      </section>

      <RulesVersions
        refreshKey={versionsKey}
        onRestored={() => (text === loaded ? void load() : setStale(true))}
      />
    </>
  );
}
