/**
 * Form controls of the directory screens: each has a visible label, its hint and its problems
 * tied to it with aria-describedby, and marks itself aria-invalid while a problem names it. The
 * problems (the server's 422 details and the checks made before sending) come from context, each
 * control asking for its own path (`capacity.chat`, `week.mon[0].end`).
 */
import { createContext, useContext, useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ErrorDetail } from '../../../api.js';
import { problemsAt } from './problems.js';

const ProblemsContext = createContext<readonly ErrorDetail[]>([]);
export const ProblemsProvider = ProblemsContext.Provider;

/** The messages of the problems at `path` or under it (`exact`: at it only, when its parts show their own). */
export function useFieldProblems(path: string | undefined, exact = false): string[] {
  const problems = useContext(ProblemsContext);
  if (path === undefined) return [];
  return (exact ? problems.filter((p) => p.path === path) : problemsAt(problems, path)).map((p) => p.message);
}

function describedBy(...ids: (string | false)[]): string | undefined {
  const joined = ids.filter((id): id is string => id !== false).join(' ');
  return joined === '' ? undefined : joined;
}

export function FieldProblems({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <p id={id} className="field-error">
      {messages.join(' ')}
    </p>
  );
}

interface TextFieldProps {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** The object's field a server problem names (`email`, `sla.firstResponse`). */
  path?: string;
  hint?: ReactNode;
  required?: boolean;
  readOnly?: boolean;
  type?: 'text' | 'email' | 'number' | 'url' | 'date';
  placeholder?: string;
  inputMode?: 'numeric' | 'text' | 'email' | 'url';
  /** A datalist id with suggestions. */
  list?: string;
  multiline?: boolean;
  className?: string;
  autoComplete?: string;
}

/** Under a field: its hint (`<id>-hint`) and its problems (`<id>-error`), the ids `aria-describedby` names. */
function FieldFoot(props: { id: string; hint: ReactNode; messages: readonly string[] }) {
  return (
    <>
      {props.hint !== undefined && (
        <p id={`${props.id}-hint`} className="field-hint">
          {props.hint}
        </p>
      )}
      <FieldProblems id={`${props.id}-error`} messages={props.messages} />
    </>
  );
}

/**
 * The id of a directory object: required, fixed once it exists (other parts of the workspace name
 * it). `referredBy` says who refers to it, in the hint of an existing object.
 */
export function IdField(props: { value: string; onChange: (id: string) => void; editing: boolean; referredBy?: string; newHint?: string }) {
  const hint = props.editing
    ? `The id cannot change${props.referredBy === undefined ? '' : `: ${props.referredBy} refer to it`}.`
    : (props.newHint ?? 'Lowercase letters, digits, - and _.');
  return <TextField label="Id" value={props.value} onChange={props.onChange} path="id" required readOnly={props.editing} hint={hint} />;
}

export function TextField(props: TextFieldProps) {
  const id = useId();
  const messages = useFieldProblems(props.path);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const common = {
    id,
    value: props.value,
    required: props.required,
    readOnly: props.readOnly,
    placeholder: props.placeholder,
    'aria-invalid': messages.length > 0 ? true : undefined,
    'aria-describedby': describedBy(props.hint !== undefined && hintId, messages.length > 0 && errorId),
  } as const;
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required === true && <span className="muted"> (required)</span>}
      </label>
      {props.multiline === true ? (
        <textarea {...common} rows={8} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          inputMode={props.inputMode}
          list={props.list}
          autoComplete={props.autoComplete ?? 'off'}
          spellCheck={false}
          min={props.type === 'number' ? 0 : undefined}
          step={props.type === 'number' ? 1 : undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      <FieldFoot id={id} hint={props.hint} messages={messages} />
    </div>
  );
}

export interface Option {
  readonly value: string;
  readonly label: string;
}

export function SelectField(props: {
  label: string;
  value: string;
  options: readonly Option[];
  onChange: (value: string) => void;
  path?: string;
  hint?: ReactNode;
  className?: string;
}) {
  const id = useId();
  const messages = useFieldProblems(props.path);
  const known = props.options.some((o) => o.value === props.value);
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={messages.length > 0 ? true : undefined}
        aria-describedby={describedBy(
          props.hint !== undefined && `${id}-hint`,
          messages.length > 0 && `${id}-error`,
        )}
      >
        {/* A value the lists do not know (a removed object) stays visible rather than silently changing. */}
        {!known && <option value={props.value}>{props.value} (unknown)</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldFoot id={id} hint={props.hint} messages={messages} />
    </div>
  );
}

export function CheckboxField(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  path?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  const messages = useFieldProblems(props.path);
  return (
    <div className="field field-check">
      <label>
        <input
          type="checkbox"
          checked={props.checked}
          onChange={(e) => props.onChange(e.target.checked)}
          aria-describedby={describedBy(
            props.hint !== undefined && `${id}-hint`,
            messages.length > 0 && `${id}-error`,
          )}
        />{' '}
        {props.label}
      </label>
      <FieldFoot id={id} hint={props.hint} messages={messages} />
    </div>
  );
}

/** Several values picked from a list (team members from the users): one checkbox each. */
export function CheckboxGroup(props: {
  legend: string;
  options: readonly Option[];
  values: readonly string[];
  onChange: (values: string[]) => void;
  path?: string;
  hint?: ReactNode;
}) {
  const id = useId();
  const messages = useFieldProblems(props.path);
  // Values the options do not know (a removed user) stay listed so they can be unticked.
  const options = [
    ...props.options,
    ...props.values
      .filter((v) => !props.options.some((o) => o.value === v))
      .map((v) => ({ value: v, label: `${v} (unknown)` })),
  ];
  const toggle = (value: string, on: boolean) =>
    props.onChange(on ? [...props.values, value] : props.values.filter((v) => v !== value));
  return (
    <fieldset
      className="field check-group"
      aria-describedby={describedBy(
        props.hint !== undefined && `${id}-hint`,
        messages.length > 0 && `${id}-error`,
      )}
    >
      <legend>{props.legend}</legend>
      {options.length === 0 && <p className="muted small">Nothing to choose from yet.</p>}
      <div className="check-options">
        {options.map((o) => (
          <label key={o.value}>
            <input
              type="checkbox"
              checked={props.values.includes(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
            />{' '}
            {o.label}
          </label>
        ))}
      </div>
      <FieldFoot id={id} hint={props.hint} messages={messages} />
    </fieldset>
  );
}

/**
 * Free-text values as removable tags (skills, tags, events): Enter, a comma or the Add button adds
 * what is typed; leaving the box adds it too, so a typed value is never lost on Save.
 */
export function TagsField(props: {
  legend: string;
  /** One of them, for the controls' names: "skill" → "Add skill", "Remove skill lang:es". */
  noun: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  path?: string;
  hint?: ReactNode;
  suggestions?: readonly string[];
  placeholder?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState('');
  const messages = useFieldProblems(props.path);
  const add = () => {
    const parts = draft
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '' && !props.values.includes(p));
    if (parts.length > 0) props.onChange([...props.values, ...new Set(parts)]);
    setDraft('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add();
    } else if (e.key === 'Backspace' && draft === '' && props.values.length > 0) {
      props.onChange(props.values.slice(0, -1));
    }
  };
  const listId = props.suggestions === undefined ? undefined : `${id}-suggestions`;
  return (
    <fieldset
      className="field dir-tags-field"
      aria-describedby={describedBy(
        props.hint !== undefined && `${id}-hint`,
        messages.length > 0 && `${id}-error`,
      )}
    >
      <legend>{props.legend}</legend>
      <div className="dir-tags-box">
        {props.values.length > 0 && (
          <ul className="dir-tags" aria-label={props.legend}>
            {props.values.map((value) => (
              <li key={value} className="dir-tag">
                <span>{value}</span>
                <button
                  type="button"
                  className="dir-tag-remove"
                  aria-label={`Remove ${props.noun} ${value}`}
                  onClick={() => props.onChange(props.values.filter((v) => v !== value))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="dir-tag-add">
          <input
            id={`${id}-input`}
            aria-label={`Add ${props.noun}`}
            value={draft}
            list={listId}
            placeholder={props.placeholder}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={messages.length > 0 ? true : undefined}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKeyDown}
            onBlur={add}
          />
          <button type="button" onClick={add} disabled={draft.trim() === ''}>
            Add
          </button>
        </div>
      </div>
      {listId !== undefined && (
        <datalist id={listId}>
          {(props.suggestions ?? [])
            .filter((s) => !props.values.includes(s))
            .map((s) => (
              <option key={s} value={s} />
            ))}
        </datalist>
      )}
      <FieldFoot id={id} hint={props.hint} messages={messages} />
    </fieldset>
  );
}
