import { useId } from 'react';
import type { Directory } from '../../components/directory.js';
import { TRIGGER_LABELS } from '../../format.js';
import { NONE, OUTCOME_LABELS, OUTCOMES, TRIGGERS, type ExpectForm } from './scenario-form.js';

/**
 * What the scenario should come to (the scenario's `expect`): every field optional; the server
 * answers each one with passed or failed, and `baton simulate` exits non-zero on a failure.
 */
export function ExpectFields({ form, directory: d, onChange }: { form: ExpectForm; directory: Directory; onChange: (patch: Partial<ExpectForm>) => void }) {
  // Labels beside (not around) the selects: a wrapping label's name would include every option.
  const id = useId();
  return (
    <fieldset>
      <legend>Expected result</legend>
      <p className="muted small">Optional. Each one filled in is checked against the result and shown as passed or failed.</p>
      <div className="sim-grid">
        <div className="sim-field">
          <label htmlFor={`${id}-trigger`}>Expected trigger</label>
          <select id={`${id}-trigger`} value={form.trigger} onChange={(e) => onChange({ trigger: e.target.value })}>
            <option value="">Not checked</option>
            <option value={NONE}>No handoff</option>
            {TRIGGERS.map((t) => (
              <option key={t} value={t}>
                {TRIGGER_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <div className="sim-field">
          <label htmlFor={`${id}-rule`}>Expected rule</label>
          <input id={`${id}-rule`} value={form.rule} onChange={(e) => onChange({ rule: e.target.value })} placeholder="rule id" autoComplete="off" spellCheck={false} />
        </div>
        <div className="sim-field">
          <label htmlFor={`${id}-destination`}>Expected destination</label>
          <select id={`${id}-destination`} value={form.destination} onChange={(e) => onChange({ destination: e.target.value })}>
            <option value="">Not checked</option>
            <optgroup label="Queues">
              {d.queues.map((q) => (
                <option key={q.id} value={`queue:${q.id}`}>
                  {q.name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Teams">
              {d.teams.map((t) => (
                <option key={t.id} value={`team:${t.id}`}>
                  {t.name}
                </option>
              ))}
            </optgroup>
            <optgroup label="People">
              {d.users.map((u) => (
                <option key={u.id} value={`user:${u.id}`}>
                  {u.name}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <div className="sim-field">
          <label htmlFor={`${id}-assignee`}>Expected assignee</label>
          <select id={`${id}-assignee`} value={form.assignee} onChange={(e) => onChange({ assignee: e.target.value })}>
            <option value="">Not checked</option>
            <option value={NONE}>Nobody</option>
            {d.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <div className="sim-field">
          <label htmlFor={`${id}-queue`}>Expected queue</label>
          <select id={`${id}-queue`} value={form.queue} onChange={(e) => onChange({ queue: e.target.value })}>
            <option value="">Not checked</option>
            <option value={NONE}>No queue</option>
            {d.queues.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </div>
        <div className="sim-field">
          <label htmlFor={`${id}-outcome`}>Expected outcome</label>
          <select id={`${id}-outcome`} value={form.outcome} onChange={(e) => onChange({ outcome: e.target.value })}>
            <option value="">Not checked</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABELS[o]}
              </option>
            ))}
          </select>
        </div>
        <div className="sim-field">
          <label htmlFor={`${id}-language`}>Expected language</label>
          <input id={`${id}-language`} value={form.language} onChange={(e) => onChange({ language: e.target.value })} placeholder="e.g. es" autoComplete="off" />
        </div>
      </div>
    </fieldset>
  );
}
