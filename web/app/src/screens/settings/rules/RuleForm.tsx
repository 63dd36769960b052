import type { Trigger } from '../../../../../../src/contract/common.js';
import { ActionEditor, type Directory } from './ActionEditor.js';
import { ConditionTree, type ConditionEdits } from './ConditionEditor.js';
import {
  problemsUnder,
  removeCondition,
  setIn,
  toggleNot,
  type Path,
  type Problem,
  type Rule,
} from './edit-rules.js';
import { FieldProblems, invalidProps } from './form-bits.js';
import { TRIGGERS, TRIGGER_LABELS } from './options.js';

/** One rule's form: its id and description, *when* (triggers), *if* (conditions), *then* (the action). */
export function RuleForm({
  rule,
  path,
  problems,
  directory,
  onChange,
  idFor,
}: {
  /** The id of the rule id box, so a new rule's form can take the focus. */
  readonly idFor: string;
  readonly rule: Rule;
  /** `['rules', 2]`: where the server names this rule's problems. */
  readonly path: Path;
  readonly problems: readonly Problem[];
  readonly directory: Directory;
  readonly onChange: (next: Rule) => void;
}) {
  const at = (...steps: (string | number)[]): Path => [...path, ...steps];
  const under = (...steps: (string | number)[]) => problemsUnder(problems, at(...steps));
  const when = rule.when ?? [];

  const setWhen = (trigger: Trigger, on: boolean) => {
    const next = on
      ? TRIGGERS.filter((t) => t === trigger || when.includes(t))
      : when.filter((t) => t !== trigger);
    const { when: _drop, ...rest } = rule;
    onChange(next.length === 0 ? rest : { ...rest, when: next });
  };
  const setIf = (next: Rule['if']) => {
    const { if: _drop, ...rest } = rule;
    onChange(next === undefined ? rest : { ...rest, if: next });
  };
  const edits: ConditionEdits = {
    set: (inner, next) => setIf(inner.length === 0 ? next : setIn(rule.if, inner, next)),
    remove: (inner) => setIf(removeCondition(rule.if, inner)),
    toggleNot: (inner) => {
      if (rule.if !== undefined) setIf(toggleNot(rule.if, inner));
    },
  };

  return (
    <div className="rule-form">
      <fieldset className="rule-fieldset">
        <legend>Rule</legend>
        <div className="form-row">
          <label className="form-field">
            <span>Rule id</span>
            <input
              type="text"
              id={idFor}
              value={rule.id}
              maxLength={64}
              onChange={(e) => onChange({ ...rule, id: e.target.value })}
              {...invalidProps(at('id'), under('id'))}
            />
          </label>
          <label className="form-field form-grow">
            <span>Description (optional)</span>
            <input
              type="text"
              value={rule.description ?? ''}
              onChange={(e) => {
                const { description: _drop, ...rest } = rule;
                onChange(e.target.value === '' ? rest : { ...rest, description: e.target.value });
              }}
            />
          </label>
          <label className="choice-inline">
            <input
              type="checkbox"
              checked={rule.enabled}
              onChange={(e) => onChange({ ...rule, enabled: e.target.checked })}
            />
            Turned on
          </label>
        </div>
        <p className="muted small">
          A lowercase id: letters, digits, “-” and “_”. Traces and reports name the rule by it.
        </p>
        <FieldProblems path={at('id')} problems={under('id')} />
      </fieldset>

      <fieldset className="rule-fieldset">
        <legend>When: the handoff triggers it answers</legend>
        <div className="choice-grid">
          {TRIGGERS.map((t) => (
            <label key={t} className="choice-inline">
              <input
                type="checkbox"
                checked={when.includes(t)}
                onChange={(e) => setWhen(t, e.target.checked)}
              />
              <span>
                {TRIGGER_LABELS[t]} <code className="small">{t}</code>
              </span>
            </label>
          ))}
        </div>
        <p className="muted small">
          {when.length === 0
            ? 'None ticked: the rule answers every trigger.'
            : 'The rule answers only the ticked triggers.'}
        </p>
        <FieldProblems path={at('when')} problems={under('when')} />
      </fieldset>

      <fieldset className="rule-fieldset">
        <legend>If: the conditions</legend>
        <ConditionTree
          condition={rule.if}
          path={at('if')}
          problems={problems}
          schedules={directory.schedules}
          onChange={setIf}
          edits={edits}
        />
      </fieldset>

      <h4 className="rule-then">Then</h4>
      <ActionEditor
        action={rule.then}
        path={at('then')}
        problems={problems}
        directory={directory}
        onChange={(then) => onChange({ ...rule, then })}
      />
    </div>
  );
}
