import type { Operator } from './condition-values.js';
import { convertOperand, formatOperand, parseOperand } from './condition-values.js';
import {
  addCondition,
  blankCondition,
  problemsAt,
  problemsUnder,
  readCondition,
  writeCondition,
  type Condition,
  type OperatorSpec,
  type Path,
  type Problem,
} from './edit-rules.js';
import { FieldProblems, invalidProps, TextBox } from './form-bits.js';
import { FIELD_LABELS, OPERATORS, OPERATOR_LABELS, PLAIN_FIELDS } from './options.js';

/** Edits of the condition tree, addressed by the path inside the rule's `if`. */
export interface ConditionEdits {
  set(inner: Path, next: Condition): void;
  remove(inner: Path): void;
  toggleNot(inner: Path): void;
}

interface NodeProps {
  readonly condition: Condition;
  /** The path of this condition from the ruleset (`rules[2].if.all[0]`), for the server's problems. */
  readonly path: Path;
  /** The path inside the `if`. */
  readonly inner: Path;
  /** `1`, `1.2`: the condition's number in the tree, for its accessible name. */
  readonly label: string;
  readonly edits: ConditionEdits;
  readonly problems: readonly Problem[];
  readonly schedules: readonly string[];
}

const PROPERTY_SCOPES = ['contact', 'conversation'] as const;

/** The shared suggestion list (a datalist rendered once by the screen) for a field's values. */
export function suggestionsFor(field: string): string | undefined {
  switch (field) {
    case 'channel':
      return 'rules-dl-channel';
    case 'priority':
    case 'conversation.priority':
      return 'rules-dl-priority';
    case 'trigger':
      return 'rules-dl-trigger';
    case 'weekday':
      return 'rules-dl-weekday';
    case 'language':
    case 'contact.language':
      return 'rules-dl-language';
    case 'contact.owner':
    case 'conversation.owner':
      return 'rules-dl-user';
    case 'conversation.status':
      return 'rules-dl-status';
    default:
      return undefined;
  }
}

/** One condition of the tree: a group (all/any), a negation, business hours or one field's tests. */
export function ConditionNode(props: NodeProps) {
  const { condition, path, inner, label, edits, problems } = props;
  const node = readCondition(condition);

  if (node.kind === 'all' || node.kind === 'any') {
    const key = node.kind;
    const childPaths = node.children.map((_, i) => [...path, key, i]);
    return (
      <div className="cond cond-group" role="group" aria-label={`Condition ${label}`}>
        <div className="cond-head">
          <label>
            <span className="visually-hidden">Condition {label}: combine</span>
            <select
              value={key}
              onChange={(e) =>
                edits.set(
                  inner,
                  writeCondition({ kind: e.target.value === 'any' ? 'any' : 'all', children: node.children }),
                )
              }
            >
              <option value="all">All of these hold</option>
              <option value="any">Any of these holds</option>
            </select>
          </label>
          <button
            type="button"
            onClick={() => edits.toggleNot(inner)}
            aria-label={`Negate condition ${label}`}
          >
            Negate
          </button>
          <button type="button" onClick={() => edits.remove(inner)} aria-label={`Remove condition ${label}`}>
            Remove group
          </button>
        </div>
        <FieldProblems path={path} problems={problemsAt(problems, path, childPaths)} />
        <ol className="cond-children">
          {node.children.map((child, i) => (
            <li key={i}>
              <ConditionNode
                {...props}
                condition={child}
                path={[...path, key, i]}
                inner={[...inner, key, i]}
                label={`${label}.${i + 1}`}
              />
            </li>
          ))}
        </ol>
        <div className="cond-add">
          <button
            type="button"
            onClick={() =>
              edits.set(inner, writeCondition({ kind: key, children: [...node.children, blankCondition()] }))
            }
          >
            Add condition to {label}
          </button>
          <button
            type="button"
            onClick={() =>
              edits.set(
                inner,
                writeCondition({ kind: key, children: [...node.children, { any: [blankCondition()] }] }),
              )
            }
          >
            Add group to {label}
          </button>
        </div>
      </div>
    );
  }

  if (node.kind === 'not') {
    return (
      <div className="cond cond-not" role="group" aria-label={`Condition ${label}`}>
        <div className="cond-head">
          <strong>Not:</strong> <span className="muted small">the condition below must not hold</span>
          <button
            type="button"
            onClick={() => edits.toggleNot(inner)}
            aria-label={`Stop negating condition ${label}`}
          >
            Stop negating
          </button>
        </div>
        <FieldProblems path={path} problems={problemsAt(problems, path, [[...path, 'not']])} />
        <ConditionNode
          {...props}
          condition={node.child}
          path={[...path, 'not']}
          inner={[...inner, 'not']}
          label={`${label}.1`}
        />
      </div>
    );
  }

  return <FieldTest {...props} />;
}

/** A field and its tests (`contact.plan is enterprise`), or business hours open/closed. */
function FieldTest({ condition, path, inner, label, edits, problems, schedules }: NodeProps) {
  const node = readCondition(condition);
  const field = node.kind === 'field' ? node.field : 'businessHours';
  const scope = PROPERTY_SCOPES.find((s) => field.startsWith(`${s}.`));
  const selected = scope ?? field;
  const own = problemsUnder(problems, path);

  const changeField = (next: string) => {
    if (next === 'businessHours') {
      edits.set(inner, { businessHours: { open: schedules[0] ?? '' } });
      return;
    }
    const spec: OperatorSpec =
      node.kind === 'field' && Object.keys(node.spec).length > 0 ? node.spec : { eq: '' };
    edits.set(inner, writeCondition({ kind: 'field', field: next, spec }));
  };

  const head = (
    <>
      <label className="cond-field">
        <span>Field</span>
        <select
          value={selected}
          onChange={(e) => {
            const v = e.target.value;
            if (v === 'contact' || v === 'conversation') {
              const name = scope === undefined ? '' : field.slice(scope.length + 1);
              changeField(`${v}.${name}`);
            } else changeField(v);
          }}
        >
          {PLAIN_FIELDS.map((f) => (
            <option key={f} value={f}>
              {FIELD_LABELS[f]}
            </option>
          ))}
          <option value="contact">Contact property…</option>
          <option value="conversation">Conversation property…</option>
          {!PLAIN_FIELDS.some((f) => f === selected) && scope === undefined && (
            <option value={selected}>{selected} (unknown field)</option>
          )}
        </select>
      </label>
      {scope !== undefined && (
        <label className="cond-field">
          <span>Property name</span>
          <input
            type="text"
            value={field.slice(scope.length + 1)}
            placeholder={scope === 'contact' ? 'plan, email, owner…' : 'priority, tags, status…'}
            onChange={(e) =>
              edits.set(
                inner,
                writeCondition({
                  kind: 'field',
                  field: `${scope}.${e.target.value.trim()}`,
                  spec: node.kind === 'field' ? node.spec : { eq: '' },
                }),
              )
            }
          />
        </label>
      )}
    </>
  );

  const tail = (
    <div className="cond-tail">
      <button type="button" onClick={() => edits.toggleNot(inner)} aria-label={`Negate condition ${label}`}>
        Negate
      </button>
      <button type="button" onClick={() => edits.remove(inner)} aria-label={`Remove condition ${label}`}>
        Remove
      </button>
    </div>
  );

  if (node.kind === 'businessHours') {
    const options = schedules.includes(node.schedule) ? schedules : [node.schedule, ...schedules];
    return (
      <div className="cond cond-test" role="group" aria-label={`Condition ${label}`}>
        <div className="cond-row">
          {head}
          <label className="cond-field">
            <span>Schedule</span>
            <select
              value={node.schedule}
              onChange={(e) => edits.set(inner, writeCondition({ ...node, schedule: e.target.value }))}
              {...invalidProps(path, own)}
            >
              {options.map((s) => (
                <option key={s} value={s}>
                  {s === '' ? '(choose a schedule)' : s}
                </option>
              ))}
            </select>
          </label>
          <label className="cond-field">
            <span>State</span>
            <select
              value={node.state}
              onChange={(e) =>
                edits.set(
                  inner,
                  writeCondition({ ...node, state: e.target.value === 'closed' ? 'closed' : 'open' }),
                )
              }
            >
              <option value="open">is open</option>
              <option value="closed">is closed</option>
            </select>
          </label>
          {tail}
        </div>
        <FieldProblems path={path} problems={own} />
      </div>
    );
  }

  const entries = Object.entries(node.kind === 'field' ? node.spec : {}) as [Operator, unknown][];
  const setSpec = (next: [Operator, unknown][]) =>
    edits.set(inner, writeCondition({ kind: 'field', field, spec: Object.fromEntries(next) }));
  const unused = OPERATORS.filter((op) => !entries.some(([used]) => used === op));
  const list = suggestionsFor(field);

  return (
    <div className="cond cond-test" role="group" aria-label={`Condition ${label}`}>
      <div className="cond-row">
        {head}
        {entries.map(([op, value], i) => (
          <div className="cond-op" key={i}>
            <label className="cond-field">
              <span>Operator</span>
              <select
                value={op}
                onChange={(e) => {
                  const nextOp = e.target.value as Operator;
                  setSpec(
                    entries.map(([o, v], j): [Operator, unknown] =>
                      j === i ? [nextOp, convertOperand(nextOp, v)] : [o, v],
                    ),
                  );
                }}
              >
                {OPERATORS.filter((o) => o === op || unused.includes(o)).map((o) => (
                  <option key={o} value={o}>
                    {OPERATOR_LABELS[o]} ({o})
                  </option>
                ))}
              </select>
            </label>
            {op === 'exists' ? (
              <label className="cond-field">
                <span>Value</span>
                <select
                  value={value === false ? 'false' : 'true'}
                  onChange={(e) =>
                    setSpec(
                      entries.map(([o, v], j): [Operator, unknown] =>
                        j === i ? [o, e.target.value === 'true'] : [o, v],
                      ),
                    )
                  }
                >
                  <option value="true">yes</option>
                  <option value="false">no (is not set)</option>
                </select>
              </label>
            ) : (
              <label className="cond-field cond-value">
                <span>
                  {op === 'in' || op === 'nin'
                    ? 'Values (comma-separated)'
                    : op === 'matches'
                      ? 'Pattern (regular expression)'
                      : 'Value'}
                </span>
                <TextBox
                  text={formatOperand(value)}
                  normalize={(t) => formatOperand(parseOperand(op, t))}
                  onText={(t) =>
                    setSpec(
                      entries.map(([o, v], j): [Operator, unknown] =>
                        j === i ? [o, parseOperand(o, t)] : [o, v],
                      ),
                    )
                  }
                  {...(list === undefined ? {} : { list })}
                  {...invalidProps(path, own)}
                />
              </label>
            )}
            {entries.length > 1 && (
              <button
                type="button"
                className="cond-op-remove"
                onClick={() => setSpec(entries.filter((_, j) => j !== i))}
                aria-label={`Remove the ${OPERATOR_LABELS[op]} test of condition ${label}`}
              >
                ×
              </button>
            )}
          </div>
        ))}
        {unused.length > 0 && (
          <button
            type="button"
            onClick={() => {
              const op = unused[0] as Operator;
              setSpec([...entries, [op, convertOperand(op, '')]]);
            }}
            aria-label={`Add a test to condition ${label}`}
          >
            And…
          </button>
        )}
        {tail}
      </div>
      <FieldProblems path={path} problems={own} />
    </div>
  );
}

/** The rule's `if`: no condition, or a tree of them, with a way to add one. */
export function ConditionTree({
  condition,
  path,
  problems,
  schedules,
  onChange,
  edits,
}: {
  readonly condition: Condition | undefined;
  readonly path: Path;
  readonly problems: readonly Problem[];
  readonly schedules: readonly string[];
  readonly onChange: (next: Condition) => void;
  readonly edits: ConditionEdits;
}) {
  if (condition === undefined) {
    return (
      <div>
        <p className="muted small">No conditions: the rule takes every conversation its triggers fire for.</p>
        <FieldProblems path={path} problems={problemsUnder(problems, path)} />
        <button type="button" onClick={() => onChange(addCondition(undefined))}>
          Add condition
        </button>
      </div>
    );
  }
  const node = readCondition(condition);
  const isGroup = node.kind === 'all' || node.kind === 'any';
  return (
    <div>
      <ConditionNode
        condition={condition}
        path={path}
        inner={[]}
        label="1"
        edits={edits}
        problems={problems}
        schedules={schedules}
      />
      {!isGroup && (
        <button type="button" className="cond-and" onClick={() => onChange(addCondition(condition))}>
          Add condition
        </button>
      )}
    </div>
  );
}
