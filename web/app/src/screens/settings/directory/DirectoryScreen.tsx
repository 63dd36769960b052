/**
 * The shared list + form of the directory settings (users, teams, queues, schedules, channels,
 * knowledge): a card per object with its fields, Add and Edit in one form, Delete after a
 * confirmation. Writes go through the directory API; a 422 shows each problem at the field its
 * path names and lists them all; a refused delete lists the paths that still refer to the object.
 */
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, type ErrorDetail } from '../../../api.js';
import { directoryApi, type DirectorySection } from './directory-api.js';
import { ProblemsProvider } from './fields.js';
import { patchOf, type ApiObject } from './forms.js';
import { describeProblem, isAtOrUnder } from './problems.js';
import { useDirectoryList } from './use-directory-list.js';

export interface CardField {
  readonly label: string;
  /** Rendered as text; '' or an empty list shows "—". */
  readonly value: ReactNode;
}

export interface DirectoryScreenProps<Item extends { id: string }, Form> {
  readonly section: DirectorySection;
  /** "Users" */
  readonly title: string;
  /** "user" */
  readonly noun: string;
  readonly intro: ReactNode;
  readonly nameOf: (item: Item) => string;
  readonly fieldsOf: (item: Item) => readonly CardField[];
  /** More under an object's fields (a chat channel's widget snippet). */
  readonly extraOf?: (item: Item) => ReactNode;
  readonly emptyForm: () => Form;
  readonly toForm: (item: Item) => Form;
  readonly fromForm: (form: Form) => ApiObject;
  /** Problems the form can tell before sending, by path. */
  readonly check?: (form: Form) => ReadonlyMap<string, string>;
  /** Fields of the listing that are not in the document, never sent back (a user's live status). */
  readonly keep?: readonly string[];
  readonly renderFields: (props: {
    form: Form;
    set: (change: Partial<Form>) => void;
    editing: boolean;
  }) => ReactNode;
  /** Told after every change, so the screen can reload what it looks objects up in. */
  readonly onChanged?: () => void;
}

type Editing<Item> = { readonly kind: 'add' } | { readonly kind: 'edit'; readonly item: Item };

type Removal =
  | { readonly id: string; readonly state: 'confirm' | 'busy' }
  | {
      readonly id: string;
      readonly state: 'refused';
      readonly message: string;
      readonly details: readonly ErrorDetail[];
    };

const dash = (value: ReactNode): ReactNode =>
  value === '' || value === null || value === undefined || (Array.isArray(value) && value.length === 0)
    ? '—'
    : value;

export function DirectoryScreen<Item extends { id: string }, Form>(props: DirectoryScreenProps<Item, Form>) {
  const { section, title, noun } = props;
  const list = useDirectoryList<Item>(section);
  const [editing, setEditing] = useState<Editing<Item> | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [problems, setProblems] = useState<readonly ErrorDetail[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [removal, setRemoval] = useState<Removal | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const formTitleId = useId();

  const open = (next: Editing<Item>) => {
    setEditing(next);
    setForm(next.kind === 'add' ? props.emptyForm() : props.toForm(next.item));
    setProblems([]);
    setFormError(null);
    setStatus(null);
    setRemoval(null);
    // After React renders the form: bring it into view and put the caret in its first field.
    requestAnimationFrame(() => {
      formRef.current?.scrollIntoView({ block: 'start' });
      formRef.current?.querySelector<HTMLElement>('input:not([readonly]), select, textarea')?.focus();
    });
  };

  const close = () => {
    setEditing(null);
    setForm(null);
    setProblems([]);
    setFormError(null);
    requestAnimationFrame(() => addButton.current?.focus());
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (editing === null || form === null) return;
    const local = props.check?.(form) ?? new Map<string, string>();
    if (local.size > 0) {
      setProblems([...local].map(([path, message]) => ({ path, message })));
      setFormError(
        `Not saved: ${local.size === 1 ? 'one field needs' : `${local.size} fields need`} a change.`,
      );
      return;
    }
    const body = props.fromForm(form);
    setBusy(true);
    try {
      const change =
        editing.kind === 'add'
          ? await directoryApi.add(section, body)
          : await directoryApi.update(section, editing.item.id, patchOf(editing.item, body, props.keep));
      const id = typeof body.id === 'string' ? body.id : '';
      const warnings =
        change.warnings.length > 0 ? ` Warnings: ${change.warnings.map(describeProblem).join('; ')}` : '';
      setStatus(
        `${editing.kind === 'add' ? 'Added' : 'Saved'} ${noun} ${id} (workspace revision ${change.revision}).${warnings}`,
      );
      close();
      await list.reload();
      props.onChanged?.();
    } catch (error) {
      if (error instanceof ApiError) {
        setFormError(`Not saved: ${error.message}`);
        setProblems(error.details);
      } else {
        setFormError('Not saved: Baton is not reachable right now.');
        setProblems([]);
      }
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: string) => {
    setRemoval({ id, state: 'busy' });
    try {
      const change = await directoryApi.remove(section, id);
      setRemoval(null);
      setStatus(`Deleted ${noun} ${id} (workspace revision ${change.revision}).`);
      if (editing?.kind === 'edit' && editing.item.id === id) close();
      await list.reload();
      props.onChanged?.();
      requestAnimationFrame(() => addButton.current?.focus());
    } catch (error) {
      setRemoval({
        id,
        state: 'refused',
        message: error instanceof ApiError ? error.message : 'Baton is not reachable right now.',
        details: error instanceof ApiError ? error.details : [],
      });
    }
  };

  const set = (change: Partial<Form>) => {
    setForm((current) => (current === null ? current : { ...current, ...change }));
    // A field changed since the last attempt no longer shows that attempt's problem.
    setProblems((current) =>
      current.filter((p) => !Object.keys(change).some((key) => isAtOrUnder(p.path, key))),
    );
  };

  return (
    <section className="settings-section dir-screen" aria-labelledby={headingId}>
      <div className="dir-head">
        <div>
          <h2 id={headingId}>{title}</h2>
          <p className="muted small">{props.intro}</p>
        </div>
        <button
          type="button"
          className="primary"
          ref={addButton}
          onClick={() => open({ kind: 'add' })}
          disabled={editing?.kind === 'add'}
        >
          Add {noun}
        </button>
      </div>

      <div role="status" aria-live="polite" className="dir-status">
        {status !== null && <p className="settings-ok">{status}</p>}
      </div>

      {editing !== null && form !== null && (
        <form
          ref={formRef}
          className="dir-form"
          aria-labelledby={formTitleId}
          onSubmit={(e) => void submit(e)}
          noValidate
        >
          <h3 id={formTitleId}>
            {editing.kind === 'add' ? `Add ${noun}` : `Edit ${noun} ${editing.item.id}`}
          </h3>
          {formError !== null && (
            <div className="form-error dir-problems" role="alert">
              <p>{formError}</p>
              {problems.length > 0 && (
                <ul aria-label="Problems">
                  {problems.map((p, i) => (
                    <li key={i}>
                      {p.path !== '(root)' && p.path !== '' && <code>{p.path}</code>} {p.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <ProblemsProvider value={problems}>
            <div className="dir-fields-grid">
              {props.renderFields({ form, set, editing: editing.kind === 'edit' })}
            </div>
          </ProblemsProvider>
          <div className="settings-actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : editing.kind === 'add' ? `Add ${noun}` : 'Save changes'}
            </button>
            <button type="button" onClick={close} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      )}

      {list.error !== null && (
        <p className="form-error" role="alert">
          {list.error}
        </p>
      )}
      {list.items === null && list.error === null && <p className="muted">Loading {title.toLowerCase()}…</p>}
      {list.items !== null && list.items.length === 0 && (
        <p className="muted">No {title.toLowerCase()} yet.</p>
      )}
      {list.items !== null && list.items.length > 0 && (
        <ul className="dir-list" aria-label={title}>
          {list.items.map((item) => {
            const cardTitle = `${headingId}-${item.id}`;
            const name = props.nameOf(item);
            const pending = removal?.id === item.id ? removal : null;
            return (
              <li key={item.id} className="dir-card" aria-labelledby={cardTitle}>
                <div className="dir-card-head">
                  <h3 id={cardTitle}>
                    {name}
                    {name !== item.id && <span className="dir-id"> {item.id}</span>}
                  </h3>
                  <div className="dir-card-actions">
                    <button
                      type="button"
                      onClick={() => open({ kind: 'edit', item })}
                      aria-label={`Edit ${noun} ${item.id}`}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      onClick={() => {
                        setStatus(null);
                        setRemoval({ id: item.id, state: 'confirm' });
                      }}
                      aria-label={`Delete ${noun} ${item.id}`}
                      disabled={pending !== null}
                    >
                      Delete
                    </button>
                  </div>
                </div>
                <dl className="dir-fields">
                  {props.fieldsOf(item).map((f) => (
                    <div key={f.label}>
                      <dt>{f.label}</dt>
                      <dd>{dash(f.value)}</dd>
                    </div>
                  ))}
                </dl>
                {props.extraOf?.(item)}
                {pending !== null && pending.state !== 'refused' && (
                  <div className="dir-confirm" role="group" aria-label={`Delete ${noun} ${item.id}?`}>
                    <p>
                      Delete {noun} <strong>{item.id}</strong>? The workspace refuses it while anything still
                      refers to it.
                    </p>
                    <div className="settings-actions">
                      <button
                        type="button"
                        className="danger"
                        onClick={() => void remove(item.id)}
                        disabled={pending.state === 'busy'}
                        autoFocus
                      >
                        {pending.state === 'busy' ? 'Deleting…' : `Yes, delete ${item.id}`}
                      </button>
                      <button
                        type="button"
                        onClick={() => setRemoval(null)}
                        disabled={pending.state === 'busy'}
                      >
                        Keep it
                      </button>
                    </div>
                  </div>
                )}
                {pending !== null && pending.state === 'refused' && (
                  <div className="form-error dir-refused" role="alert">
                    <p>Not deleted: {pending.message}</p>
                    {pending.details.length > 0 && (
                      <>
                        <p>Still referring to it:</p>
                        <ul aria-label={`What refers to ${noun} ${item.id}`}>
                          {pending.details.map((p, i) => (
                            <li key={i}>
                              <code>{p.path}</code> {p.message}
                            </li>
                          ))}
                        </ul>
                      </>
                    )}
                    <button type="button" onClick={() => setRemoval(null)}>
                      Dismiss
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
