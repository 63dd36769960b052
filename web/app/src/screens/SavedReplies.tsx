import { useEffect, useState } from 'react';
import { api, ApiError, type MeWithStatus, type SavedReply } from '../api.js';
import { ScreenFrame } from './ScreenFrame.js';

/** The variables a saved reply may use (src/core/render-saved-reply.ts); the server refuses any other. */
const VARIABLES = ['contact.name', 'contact.email', 'agent.name', 'team.name', 'queue.name'] as const;

interface Draft {
  id: string | null;
  title: string;
  shortcut: string;
  shared: boolean;
  defaultLanguage: string;
  bodies: { language: string; body: string }[];
}

const EMPTY: Draft = { id: null, title: '', shortcut: '', shared: false, defaultLanguage: 'en', bodies: [{ language: 'en', body: '' }] };

function draftOf(reply: SavedReply): Draft {
  return {
    id: reply.id,
    title: reply.title,
    shortcut: reply.shortcut ?? '',
    shared: reply.shared,
    defaultLanguage: reply.defaultLanguage,
    bodies: Object.entries(reply.bodies).map(([language, body]) => ({ language, body })),
  };
}

/**
 * Saved replies: the shared ones (admins write them) and your own, each with a
 * body per language; in a conversation, `/` at the start of the reply inserts one in the
 * customer's language with the variables filled.
 */
export function SavedReplies({ me }: { me: MeWithStatus }) {
  const [replies, setReplies] = useState<SavedReply[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const isAdmin = me.role === 'admin';

  const load = () =>
    api
      .savedReplies()
      .then((result) => setReplies(result.items))
      .catch((e: unknown) => setLoadError(e instanceof ApiError ? e.message : 'Could not load the saved replies.'));
  useEffect(() => {
    void load();
  }, []);

  const save = async () => {
    if (draft === null) return;
    setBusy(true);
    setProblems([]);
    const bodies = Object.fromEntries(draft.bodies.filter((b) => b.language.trim() !== '').map((b) => [b.language.trim(), b.body]));
    const fields = { title: draft.title, shortcut: draft.shortcut.trim() === '' ? null : draft.shortcut.trim(), defaultLanguage: draft.defaultLanguage.trim(), bodies };
    try {
      if (draft.id === null) await api.createSavedReply({ ...fields, shared: draft.shared });
      else await api.patchSavedReply(draft.id, fields);
      setDraft(null);
      await load();
    } catch (e) {
      if (e instanceof ApiError) setProblems(e.details.length > 0 ? e.details.map((d) => `${d.path}: ${d.message}`) : [e.message]);
      else setProblems(['Not saved; check your connection.']);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (reply: SavedReply) => {
    if (!confirm(`Remove the saved reply “${reply.title}”?`)) return;
    try {
      await api.deleteSavedReply(reply.id);
      await load();
    } catch (e) {
      setLoadError(e instanceof ApiError ? e.message : 'Not removed; check your connection.');
    }
  };

  const setBody = (index: number, change: Partial<{ language: string; body: string }>) =>
    setDraft((d) => (d === null ? d : { ...d, bodies: d.bodies.map((b, i) => (i === index ? { ...b, ...change } : b)) }));

  return (
    <ScreenFrame me={me} title="Saved replies">
      <p className="muted">
        In a conversation, type <kbd>/</kbd> at the start of a reply to insert one: it comes in the customer’s language (else its default) with these
        variables filled: {VARIABLES.map((v) => `{{${v}}}`).join(', ')}.
      </p>
      {loadError !== null && (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      )}
      {draft === null ? (
        <button type="button" className="primary" onClick={() => setDraft({ ...EMPTY, shared: false })}>
          New saved reply
        </button>
      ) : (
        <form
          className="saved-reply-form"
          aria-label={draft.id === null ? 'New saved reply' : 'Edit saved reply'}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label className="field">
            <span>Title</span>
            <input value={draft.title} maxLength={120} required onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
          </label>
          <label className="field">
            <span>Shortcut (after /)</span>
            <input value={draft.shortcut} maxLength={32} placeholder="refund" onChange={(e) => setDraft({ ...draft, shortcut: e.target.value })} />
          </label>
          {draft.id === null && isAdmin && (
            <label className="field-check">
              <input type="checkbox" checked={draft.shared} onChange={(e) => setDraft({ ...draft, shared: e.target.checked })} /> Shared with every agent
            </label>
          )}
          <label className="field">
            <span>Default language</span>
            <input value={draft.defaultLanguage} maxLength={16} onChange={(e) => setDraft({ ...draft, defaultLanguage: e.target.value })} />
          </label>
          {draft.bodies.map((b, index) => (
            <fieldset key={index} className="saved-reply-body">
              <legend>Text in one language</legend>
              <label className="field">
                <span>Language</span>
                <input value={b.language} maxLength={16} onChange={(e) => setBody(index, { language: e.target.value })} />
              </label>
              <label className="field">
                <span>Text</span>
                <textarea value={b.body} rows={3} maxLength={5_000} onChange={(e) => setBody(index, { body: e.target.value })} />
              </label>
              {draft.bodies.length > 1 && (
                <button type="button" className="ghost" onClick={() => setDraft({ ...draft, bodies: draft.bodies.filter((_, i) => i !== index) })}>
                  Remove this language
                </button>
              )}
            </fieldset>
          ))}
          <button type="button" className="ghost" onClick={() => setDraft({ ...draft, bodies: [...draft.bodies, { language: '', body: '' }] })}>
            Add a language
          </button>
          {problems.length > 0 && (
            <ul className="field-problems" role="alert">
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="ghost" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {replies === null ? (
        loadError === null && (
          <p className="muted" role="status">
            Loading…
          </p>
        )
      ) : replies.length === 0 ? (
        <p className="muted">No saved replies yet.</p>
      ) : (
        <ul className="saved-reply-list" aria-label="Saved replies">
          {replies.map((reply) => (
            <li key={reply.id} className="saved-reply-item">
              <div>
                <strong>{reply.title}</strong>
                {reply.shortcut !== null && <span className="muted"> /{reply.shortcut}</span>}
                <span className="badge">{reply.shared ? 'Shared' : 'Personal'}</span>
                <span className="muted small"> {Object.keys(reply.bodies).join(', ')}</span>
              </div>
              <p className="muted small">{reply.bodies[reply.defaultLanguage]}</p>
              {(!reply.shared || isAdmin) && (
                <div className="form-actions">
                  <button type="button" className="ghost" onClick={() => setDraft(draftOf(reply))}>
                    Edit {reply.title}
                  </button>
                  <button type="button" className="ghost" onClick={() => void remove(reply)}>
                    Remove {reply.title}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </ScreenFrame>
  );
}
