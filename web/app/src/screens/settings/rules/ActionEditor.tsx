import type { TaskSpec } from '../../../../../../src/contract/config.js';
import type { Priority, TaskType } from '../../../../../../src/contract/common.js';
import { formatOperand, parseList, parseScalar } from './condition-values.js';
import {
  problemsAt,
  problemsUnder,
  type Destination,
  type Path,
  type Problem,
  type RuleAction,
} from './edit-rules.js';
import { FieldProblems, invalidProps, TextBox } from './form-bits.js';
import {
  ASSIGNMENTS,
  ASSIGNMENT_LABELS,
  NOTIFY_CHANNELS,
  NOTIFY_LABELS,
  PRIORITIES,
  TASK_LABELS,
  TASK_TYPES,
} from './options.js';

/** Who can receive a handoff or a task: the directory lists (`/api/users`, `/api/teams`, `/api/queues`). */
export interface Directory {
  readonly users: readonly { id: string; name: string }[];
  readonly teams: readonly { id: string; name: string }[];
  readonly queues: readonly { id: string; name: string }[];
  readonly schedules: readonly string[];
  readonly channels: readonly string[];
}

type DestinationKind = 'user' | 'team' | 'queue';

const kindOf = (d: Destination): DestinationKind => ('user' in d ? 'user' : 'team' in d ? 'team' : 'queue');
const idOf = (d: Destination): string => ('user' in d ? d.user : 'team' in d ? d.team : d.queue);
const makeDestination = (kind: DestinationKind, id: string): Destination =>
  kind === 'user' ? { user: id } : kind === 'team' ? { team: id } : { queue: id };

const ASSIGNMENT_HELP: Record<RuleAction['assignment'], string> = {
  keep_owner_and_alert:
    'A conversation that already has a human owner keeps them; the destination’s agents are alerted and follow it. Without an owner it is reassigned.',
  reassign:
    'Ownership moves fully to the destination: the user, or a member chosen by the team’s or queue’s strategy.',
  unassign_to_queue:
    'No owner: the conversation waits in the queue and the queue’s strategy assigns it (manual queues wait for a claim).',
};

const VARIABLES = [
  '{{contact.name}}',
  '{{team.name}}',
  '{{expected_wait}}',
  '{{queue.position}}',
  '{{business_hours.next_open}}',
];

/** A rule's *then* (and the fallback's): destination, assignment, customer message, notifications, tasks, changes. */
export function ActionEditor({
  action,
  path,
  problems,
  directory,
  onChange,
}: {
  readonly action: RuleAction;
  readonly path: Path;
  readonly problems: readonly Problem[];
  readonly directory: Directory;
  readonly onChange: (next: RuleAction) => void;
}) {
  const at = (...steps: (string | number)[]): Path => [...path, ...steps];
  const under = (...steps: (string | number)[]) => problemsUnder(problems, at(...steps));
  const kind = kindOf(action.destination);
  const target = idOf(action.destination);
  const targets: { id: string; name: string }[] =
    kind === 'user'
      ? [{ id: 'contact_owner', name: "The contact's owner (account manager)" }, ...directory.users]
      : kind === 'team'
        ? [...directory.teams]
        : [...directory.queues];
  if (!targets.some((t) => t.id === target))
    targets.unshift({ id: target, name: `${target} (not in the directory)` });

  const message = action.message;
  const messageMode = message === undefined ? 'default' : message === false ? 'off' : 'custom';
  const messageEntries = message === undefined || message === false ? [] : Object.entries(message);
  const setMessages = (entries: [string, string][]) =>
    onChange({ ...action, message: Object.fromEntries(entries) });

  const set = action.set ?? {};
  const setSet = (next: NonNullable<RuleAction['set']>) => {
    const cleaned = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
    const { set: _drop, ...rest } = action;
    onChange(Object.keys(cleaned).length === 0 ? rest : { ...rest, set: cleaned });
  };
  const properties = Object.entries(set.properties ?? {});
  const setProperties = (entries: [string, string | number | boolean | null][]) =>
    setSet({ ...set, properties: entries.length === 0 ? undefined : Object.fromEntries(entries) });

  const setTask = (i: number, task: TaskSpec) =>
    onChange({ ...action, tasks: action.tasks.map((t, j) => (j === i ? task : t)) });
  const assigneeValue = (task: TaskSpec): string =>
    task.assignee === 'owner'
      ? 'owner'
      : 'user' in task.assignee
        ? `user:${task.assignee.user}`
        : `team:${task.assignee.team}`;
  const parseAssignee = (value: string): TaskSpec['assignee'] =>
    value.startsWith('user:')
      ? { user: value.slice(5) }
      : value.startsWith('team:')
        ? { team: value.slice(5) }
        : 'owner';

  return (
    <div className="action-editor">
      <fieldset className="rule-fieldset">
        <legend>Destination</legend>
        <div className="form-row">
          <label className="form-field">
            <span>Send to a</span>
            <select
              value={kind}
              onChange={(e) => {
                const next = e.target.value as DestinationKind;
                const first =
                  next === 'user'
                    ? 'contact_owner'
                    : next === 'team'
                      ? directory.teams[0]?.id
                      : directory.queues[0]?.id;
                onChange({ ...action, destination: makeDestination(next, first ?? '') });
              }}
            >
              <option value="queue">Queue</option>
              <option value="team">Team</option>
              <option value="user">User</option>
            </select>
          </label>
          <label className="form-field">
            <span>{kind === 'user' ? 'User' : kind === 'team' ? 'Team' : 'Queue'}</span>
            <select
              value={target}
              onChange={(e) => onChange({ ...action, destination: makeDestination(kind, e.target.value) })}
              {...invalidProps(at('destination'), under('destination'))}
            >
              {targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.id === 'contact_owner' ? t.name : `${t.name} (${t.id})`}
                </option>
              ))}
            </select>
          </label>
        </div>
        <FieldProblems path={at('destination')} problems={under('destination')} />
      </fieldset>

      <fieldset className="rule-fieldset">
        <legend>Assignment</legend>
        {ASSIGNMENTS.map((a) => (
          <label key={a} className="choice">
            <input
              type="radio"
              name={`${path.join('-')}-assignment`}
              checked={action.assignment === a}
              onChange={() => onChange({ ...action, assignment: a })}
            />
            <span>
              {ASSIGNMENT_LABELS[a]}
              <span className="choice-help">{ASSIGNMENT_HELP[a]}</span>
            </span>
          </label>
        ))}
        <p className="muted small">
          The strategy (round robin, least busy, manual) is the destination team’s or queue’s.
        </p>
        <FieldProblems path={at('assignment')} problems={under('assignment')} />
      </fieldset>

      <fieldset className="rule-fieldset">
        <legend>Message to the customer</legend>
        <label className="form-field">
          <span>Message</span>
          <select
            value={messageMode}
            onChange={(e) => {
              const mode = e.target.value;
              const { message: _drop, ...rest } = action;
              if (mode === 'default') onChange(rest);
              else if (mode === 'off') onChange({ ...rest, message: false });
              else
                onChange({
                  ...rest,
                  message: {
                    en: "I'm connecting you to a support specialist. Expected wait: {{expected_wait}}.",
                  },
                });
            }}
          >
            <option value="default">The standard handoff message</option>
            <option value="custom">A message of our own, per language</option>
            <option value="off">No message</option>
          </select>
        </label>
        {messageMode === 'custom' && (
          <>
            <ul className="message-list">
              {messageEntries.map(([language, text], i) => (
                <li key={i} className="message-row">
                  <label className="form-field message-lang">
                    <span>Language</span>
                    <input
                      type="text"
                      value={language}
                      list="rules-dl-language"
                      onChange={(e) =>
                        setMessages(
                          messageEntries.map(([l, t], j) => (j === i ? [e.target.value.trim(), t] : [l, t])),
                        )
                      }
                      {...invalidProps(at('message', language), under('message', language))}
                    />
                  </label>
                  <label className="form-field message-text">
                    <span>Text in {language === '' ? 'this language' : language}</span>
                    <textarea
                      rows={2}
                      value={text}
                      onChange={(e) =>
                        setMessages(
                          messageEntries.map(([l, t], j) => (j === i ? [l, e.target.value] : [l, t])),
                        )
                      }
                    />
                  </label>
                  <button
                    type="button"
                    onClick={() => setMessages(messageEntries.filter((_, j) => j !== i))}
                    aria-label={`Remove the ${language === '' ? 'empty' : language} message`}
                    disabled={messageEntries.length === 1}
                  >
                    Remove
                  </button>
                  <FieldProblems path={at('message', language)} problems={under('message', language)} />
                </li>
              ))}
            </ul>
            <button
              type="button"
              onClick={() => {
                const taken = new Set(messageEntries.map(([l]) => l));
                const language = ['es', 'fr', 'de', 'pt', 'en'].find((l) => !taken.has(l)) ?? '';
                setMessages([...messageEntries, [language, '']]);
              }}
            >
              Add a language
            </button>
            <p className="muted small">
              The customer gets the text in their language, else the workspace&apos;s. Variables:{' '}
              {VARIABLES.join(' ')}
            </p>
          </>
        )}
        <FieldProblems
          path={at('message')}
          problems={problemsAt(
            problems,
            at('message'),
            messageEntries.map(([l]) => at('message', l)),
          )}
        />
      </fieldset>

      <fieldset className="rule-fieldset">
        <legend>Notify the receiving agents by</legend>
        <div className="choice-row">
          {NOTIFY_CHANNELS.map((n) => (
            <label key={n} className="choice-inline">
              <input
                type="checkbox"
                checked={action.notify.includes(n)}
                onChange={(e) =>
                  onChange({
                    ...action,
                    notify: e.target.checked
                      ? NOTIFY_CHANNELS.filter((c) => c === n || action.notify.includes(c))
                      : action.notify.filter((c) => c !== n),
                  })
                }
              />
              {NOTIFY_LABELS[n]}
            </label>
          ))}
        </div>
        <FieldProblems path={at('notify')} problems={under('notify')} />
      </fieldset>

      <fieldset className="rule-fieldset">
        <legend>Follow-up tasks</legend>
        {action.tasks.length === 0 && <p className="muted small">None.</p>}
        <ul className="task-list">
          {action.tasks.map((task, i) => (
            <li key={i} className="task-row" role="group" aria-label={`Task ${i + 1}`}>
              <label className="form-field">
                <span>Type</span>
                <select
                  value={task.type}
                  onChange={(e) => setTask(i, { ...task, type: e.target.value as TaskType })}
                >
                  {TASK_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {TASK_LABELS[t]}
                    </option>
                  ))}
                </select>
              </label>
              <label className="form-field">
                <span>Assignee</span>
                <select
                  value={assigneeValue(task)}
                  onChange={(e) => setTask(i, { ...task, assignee: parseAssignee(e.target.value) })}
                >
                  <option value="owner">The conversation&apos;s owner</option>
                  {directory.users.map((u) => (
                    <option key={u.id} value={`user:${u.id}`}>
                      User {u.name}
                    </option>
                  ))}
                  {directory.teams.map((t) => (
                    <option key={t.id} value={`team:${t.id}`}>
                      Team {t.name}
                    </option>
                  ))}
                  {![
                    'owner',
                    ...directory.users.map((u) => `user:${u.id}`),
                    ...directory.teams.map((t) => `team:${t.id}`),
                  ].includes(assigneeValue(task)) && (
                    <option value={assigneeValue(task)}>{assigneeValue(task)} (not in the directory)</option>
                  )}
                </select>
              </label>
              <label className="form-field task-due">
                <span>{task.type === 'check_in' ? 'Due after resolution' : 'Due after the handoff'}</span>
                <input
                  type="text"
                  value={task.due}
                  placeholder="30m, 2h, 3d"
                  onChange={(e) => setTask(i, { ...task, due: e.target.value.trim() })}
                  {...invalidProps(at('tasks', i, 'due'), under('tasks', i, 'due'))}
                />
              </label>
              <label className="form-field task-note">
                <span>Note (optional)</span>
                <input
                  type="text"
                  value={task.note ?? ''}
                  onChange={(e) => {
                    const { note: _drop, ...rest } = task;
                    setTask(i, e.target.value === '' ? rest : { ...rest, note: e.target.value });
                  }}
                />
              </label>
              <button
                type="button"
                onClick={() => onChange({ ...action, tasks: action.tasks.filter((_, j) => j !== i) })}
                aria-label={`Remove task ${i + 1}`}
              >
                Remove
              </button>
              <FieldProblems path={at('tasks', i)} problems={under('tasks', i)} />
            </li>
          ))}
        </ul>
        <button
          type="button"
          onClick={() =>
            onChange({
              ...action,
              tasks: [...action.tasks, { type: 'callback', assignee: 'owner', due: '1h' }],
            })
          }
        >
          Add task
        </button>
      </fieldset>

      <fieldset className="rule-fieldset">
        <legend>Change the conversation</legend>
        <div className="form-row">
          <label className="form-field">
            <span>Priority</span>
            <select
              value={set.priority ?? ''}
              onChange={(e) =>
                setSet({ ...set, priority: e.target.value === '' ? undefined : (e.target.value as Priority) })
              }
            >
              <option value="">Leave as it is</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label className="form-field form-grow">
            <span>Add tags (comma-separated)</span>
            <TextBox
              text={(set.tags ?? []).join(', ')}
              normalize={(t) => parseList(t).map(String).join(', ')}
              onText={(t) => {
                const tags = t
                  .split(',')
                  .map((x) => x.trim())
                  .filter((x) => x !== '');
                setSet({ ...set, tags: tags.length === 0 ? undefined : tags });
              }}
              {...invalidProps(at('set', 'tags'), under('set', 'tags'))}
            />
          </label>
        </div>
        <ul className="property-list">
          {properties.map(([key, value], i) => (
            <li key={i} className="property-row" role="group" aria-label={`Property change ${i + 1}`}>
              <label className="form-field">
                <span>Property</span>
                <input
                  type="text"
                  value={key}
                  onChange={(e) =>
                    setProperties(
                      properties.map(([k, v], j) => (j === i ? [e.target.value.trim(), v] : [k, v])),
                    )
                  }
                />
              </label>
              <label className="form-field">
                <span>New value</span>
                <TextBox
                  text={formatOperand(value)}
                  normalize={(t) => formatOperand(parseScalar(t))}
                  onText={(t) =>
                    setProperties(properties.map(([k, v], j) => (j === i ? [k, parseScalar(t)] : [k, v])))
                  }
                />
              </label>
              <button
                type="button"
                onClick={() => setProperties(properties.filter((_, j) => j !== i))}
                aria-label={`Remove property change ${i + 1}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          onClick={() => {
            const taken = new Set(properties.map(([k]) => k));
            let name = 'property';
            for (let n = 2; taken.has(name); n++) name = `property_${n}`;
            setProperties([...properties, [name, '']]);
          }}
        >
          Set a property
        </button>
        <FieldProblems path={at('set')} problems={problemsAt(problems, at('set'), [at('set', 'tags')])} />
        <FieldProblems path={at('set', 'tags')} problems={under('set', 'tags')} />
      </fieldset>
    </div>
  );
}
