import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, type Availability, type ErrorDetail, type MeWithStatus, type RulesetVersionSummary, type Scenario, type SimulationResult } from '../api.js';
import type { Directory } from '../components/directory.js';
import { TRIGGER_LABELS } from '../format.js';
import { ScreenFrame } from './ScreenFrame.js';
import { ExpectFields } from './simulator/ExpectFields.js';
import { buildExpect, emptyExpectForm, rulesetFromChoice, rulesetOptions, triggerFromChoice, TRIGGERS, type ExpectForm } from './simulator/scenario-form.js';
import { SimulationView } from './simulator/SimulationView.js';

interface PropertyRow {
  readonly id: number;
  key: string;
  value: string;
}
interface AgentRow {
  readonly id: number;
  agent: string;
  status: Availability;
  load: string;
}

type Outcome = { state: 'idle' } | { state: 'running' } | { state: 'done'; result: SimulationResult } | { state: 'failed'; message: string; details: readonly ErrorDetail[] };

let nextRowId = 1;
const rowId = (): number => nextRowId++;

/** A property value as typed: numbers and true/false become scalars (as YAML would read them). */
function scalar(text: string): string | number | boolean {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return text;
}

/** A `datetime-local` value (the browser's local time) as ISO 8601 with an offset. */
function instant(local: string): string | undefined {
  if (local === '') return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

/**
 * The simulator: a scenario as a form, run through POST /api/simulate,
 * which changes nothing; the answer is the transcript and the full handoff trace.
 */
export function Simulator({ me }: { me: MeWithStatus }) {
  const [directory, setDirectory] = useState<Directory>({ users: [], teams: [], queues: [], channels: [] });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [channel, setChannel] = useState('');
  const [name, setName] = useState('');
  const [plan, setPlan] = useState('');
  const [language, setLanguage] = useState('');
  const [at, setAt] = useState('');
  const [ruleset, setRuleset] = useState('active');
  const [versions, setVersions] = useState<readonly RulesetVersionSummary[]>([]);
  const [trigger, setTrigger] = useState('');
  const [expectForm, setExpectForm] = useState<ExpectForm>(emptyExpectForm);
  const [properties, setProperties] = useState<PropertyRow[]>([]);
  const [agents, setAgents] = useState<AgentRow[]>([]);
  const [messages, setMessages] = useState<string[]>(['']);
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const [yamlShown, setYamlShown] = useState(false);

  useEffect(() => {
    let live = true;
    Promise.all([api.users(), api.teams(), api.queues(), api.channels()])
      .then(([users, teams, queues, channels]) => {
        if (!live) return;
        setDirectory({ users: users.items, teams: teams.items, queues: queues.items, channels: channels.items });
        setChannel((current) => (current === '' ? (channels.items[0]?.id ?? '') : current));
      })
      .catch((error: unknown) => live && setLoadError(error instanceof Error ? error.message : 'The workspace could not be read.'));
    // Published versions, to simulate against an older one; without them: active and draft.
    api
      .rulesetVersions()
      .then((list) => live && setVersions(list.items))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const channelType = directory.channels.find((c) => c.id === channel)?.type ?? 'chat';

  const scenario = useMemo<Scenario>(() => {
    const props: Record<string, string | number | boolean> = {};
    if (plan.trim() !== '') props['plan'] = plan.trim();
    for (const row of properties) if (row.key.trim() !== '') props[row.key.trim()] = scalar(row.value);
    const contact: Scenario['contact'] = {};
    if (name.trim() !== '') contact.name = name.trim();
    if (language.trim() !== '') contact.language = language.trim();
    if (Object.keys(props).length > 0) contact.properties = props;
    const overrides: NonNullable<Scenario['agents']> = {};
    for (const row of agents) {
      if (row.agent === '') continue;
      const load = row.load.trim() === '' ? undefined : Number(row.load);
      overrides[row.agent] = { status: row.status, ...(load !== undefined && Number.isInteger(load) && load >= 0 ? { load: { [channelType]: load } } : {}) };
    }
    const when = instant(at);
    const chosenTrigger = triggerFromChoice(trigger);
    const expect = buildExpect(expectForm);
    return {
      channel,
      ...(when !== undefined ? { at: when } : {}),
      contact,
      messages: messages.filter((m) => m.trim() !== ''),
      ruleset: rulesetFromChoice(ruleset),
      ...(Object.keys(overrides).length > 0 ? { agents: overrides } : {}),
      ...(chosenTrigger !== undefined ? { trigger: chosenTrigger } : {}),
      ...(expect !== undefined ? { expect } : {}),
    };
  }, [channel, name, plan, language, at, ruleset, properties, agents, messages, channelType, trigger, expectForm]);

  const yaml = useMemo(() => `# Baton simulation scenario (docs/configuration.md). JSON is valid YAML.\n${JSON.stringify(scenario, null, 2)}\n`, [scenario]);
  const downloadHref = useMemo(() => (yamlShown ? URL.createObjectURL(new Blob([yaml], { type: 'application/yaml' })) : null), [yaml, yamlShown]);
  useEffect(() => () => (downloadHref !== null ? URL.revokeObjectURL(downloadHref) : undefined), [downloadHref]);

  async function run(event: FormEvent) {
    event.preventDefault();
    setOutcome({ state: 'running' });
    try {
      setOutcome({ state: 'done', result: await api.simulate(scenario) });
    } catch (error) {
      const details = error instanceof ApiError ? error.details : [];
      const message = error instanceof ApiError ? error.message : 'Baton is not reachable right now.';
      setOutcome({ state: 'failed', message, details });
    }
  }

  const setProperty = (id: number, patch: Partial<PropertyRow>) => setProperties((rows) => rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const setAgent = (id: number, patch: Partial<AgentRow>) => setAgents((rows) => rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));

  return (
    <ScreenFrame me={me} title="Simulator">
      <p className="muted sim-intro">Try the handoff rules with a made-up customer. Nothing is sent or saved: the simulator only shows what would happen.</p>
      {loadError !== null && (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      )}
      <div className="sim-layout">
        <form className="sim-form" onSubmit={(e) => void run(e)} aria-label="Scenario">
          <fieldset>
            <legend>Conversation</legend>
            <div className="sim-grid">
              <label>
                Channel
                <select value={channel} onChange={(e) => setChannel(e.target.value)} required>
                  {directory.channels.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name} ({c.id})
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Language
                <input value={language} onChange={(e) => setLanguage(e.target.value)} placeholder="detect" list="sim-languages" autoComplete="off" />
                <datalist id="sim-languages">
                  {['en', 'es', 'pt', 'fr', 'de'].map((l) => (
                    <option key={l} value={l} />
                  ))}
                </datalist>
              </label>
              <label>
                Date and time (your local time)
                <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
              </label>
              <label>
                Ruleset
                <select value={ruleset} onChange={(e) => setRuleset(e.target.value)}>
                  {rulesetOptions(versions).map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </label>
              {/* Label beside the select: wrapped, its name would include every trigger's words. */}
              <div className="sim-field">
                <label htmlFor="sim-trigger">Trigger</label>
                <select id="sim-trigger" value={trigger} onChange={(e) => setTrigger(e.target.value)}>
                  <option value="">From the customer&apos;s messages</option>
                  {TRIGGERS.map((t) => (
                    <option key={t} value={t}>
                      {TRIGGER_LABELS[t]}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          </fieldset>

          <fieldset>
            <legend>Contact</legend>
            <div className="sim-grid">
              <label>
                Contact name
                <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
              </label>
              <label>
                Plan
                <input value={plan} onChange={(e) => setPlan(e.target.value)} placeholder="e.g. enterprise" autoComplete="off" />
              </label>
            </div>
            {properties.map((row, i) => (
              <div className="sim-row" key={row.id}>
                <input aria-label={`Property ${i + 1} name`} placeholder="name" value={row.key} onChange={(e) => setProperty(row.id, { key: e.target.value })} />
                <span aria-hidden="true">=</span>
                <input aria-label={`Property ${i + 1} value`} placeholder="value" value={row.value} onChange={(e) => setProperty(row.id, { value: e.target.value })} />
                <button type="button" className="ghost" aria-label={`Remove property ${i + 1}`} onClick={() => setProperties((rows) => rows.filter((r) => r.id !== row.id))}>
                  ✕
                </button>
              </div>
            ))}
            <button type="button" className="link" onClick={() => setProperties((rows) => [...rows, { id: rowId(), key: '', value: '' }])}>
              + Add a property
            </button>
          </fieldset>

          <fieldset>
            <legend>Agent overrides</legend>
            {agents.length === 0 && <p className="muted small">Agents as they are now. Override one so the result does not depend on who is online.</p>}
            {agents.map((row, i) => (
              <div className="sim-row" key={row.id}>
                <select aria-label={`Override ${i + 1}: agent`} value={row.agent} onChange={(e) => setAgent(row.id, { agent: e.target.value })}>
                  <option value="">Choose an agent</option>
                  {directory.users.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
                <select aria-label={`Override ${i + 1}: status`} value={row.status} onChange={(e) => setAgent(row.id, { status: e.target.value as Availability })}>
                  <option value="available">available</option>
                  <option value="away">away</option>
                  <option value="offline">offline</option>
                </select>
                <input
                  className="sim-load"
                  aria-label={`Override ${i + 1}: open ${channelType} load`}
                  placeholder={`${channelType} load`}
                  inputMode="numeric"
                  value={row.load}
                  onChange={(e) => setAgent(row.id, { load: e.target.value })}
                />
                <button type="button" className="ghost" aria-label={`Remove override ${i + 1}`} onClick={() => setAgents((rows) => rows.filter((r) => r.id !== row.id))}>
                  ✕
                </button>
              </div>
            ))}
            <button type="button" className="link" onClick={() => setAgents((rows) => [...rows, { id: rowId(), agent: '', status: 'available', load: '' }])}>
              + Override an agent
            </button>
          </fieldset>

          <fieldset>
            <legend>Customer messages</legend>
            {messages.map((m, i) => (
              <div className="sim-row" key={i}>
                <textarea rows={2} aria-label={`Customer message ${i + 1}`} value={m} onChange={(e) => setMessages((list) => list.map((x, j) => (j === i ? e.target.value : x)))} />
                {messages.length > 1 && (
                  <button type="button" className="ghost" aria-label={`Remove message ${i + 1}`} onClick={() => setMessages((list) => list.filter((_, j) => j !== i))}>
                    ✕
                  </button>
                )}
              </div>
            ))}
            <button type="button" className="link" onClick={() => setMessages((list) => [...list, ''])}>
              + Add a message
            </button>
          </fieldset>

          <ExpectFields form={expectForm} directory={directory} onChange={(patch) => setExpectForm((f) => ({ ...f, ...patch }))} />

          <div className="sim-actions">
            <button type="submit" className="primary" disabled={outcome.state === 'running' || channel === '' || scenario.messages.length === 0}>
              {outcome.state === 'running' ? 'Running…' : 'Run simulation'}
            </button>
            <button type="button" onClick={() => setYamlShown((v) => !v)} aria-expanded={yamlShown}>
              {yamlShown ? 'Hide YAML' : 'Save as YAML'}
            </button>
          </div>

          {yamlShown && (
            <div className="sim-yaml">
              <label htmlFor="sim-yaml-text">Scenario as YAML</label>
              <textarea id="sim-yaml-text" readOnly rows={12} value={yaml} spellCheck={false} />
              <p className="muted small">
                Written as JSON, which is valid YAML: <code>baton simulate</code> and <code>POST /api/simulate</code> read it as it is.
              </p>
              {downloadHref !== null && (
                <a className="sim-download" href={downloadHref} download="scenario.yaml">
                  Download scenario.yaml
                </a>
              )}
            </div>
          )}
        </form>

        <section className="sim-output" aria-label="Simulation result" aria-live="polite">
          {outcome.state === 'idle' && <p className="muted">Fill in the scenario and run it to see the AI agent&apos;s replies and the handoff trace.</p>}
          {outcome.state === 'running' && <p className="muted">Running…</p>}
          {outcome.state === 'failed' && (
            <div className="form-error" role="alert">
              <p className="sim-error-title">{outcome.message}</p>
              {outcome.details.length > 0 && (
                <ul>
                  {outcome.details.map((d, i) => (
                    <li key={i}>
                      <code>{d.path}</code> {d.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {outcome.state === 'done' && <SimulationView result={outcome.result} directory={directory} />}
        </section>
      </div>
    </ScreenFrame>
  );
}
