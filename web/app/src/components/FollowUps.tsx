import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type Conversation, type ConversationEvent, type Task } from '../api.js';
import { describeEvent } from './describe-event.js';
import { userName, type Directory } from './directory.js';

const TASK_TYPE_LABELS: Record<Task['type'], string> = { callback: 'Call back', internal_note: 'Investigate', check_in: 'Check in' };

const when = (at: string | null): string => (at === null ? 'no due time' : new Date(at).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }));

/** `datetime-local` wants local `YYYY-MM-DDTHH:MM`; the API an ISO instant. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * Below the handoff panel: the conversation's follow-up tasks (done, cancel, add a call-back or an
 * investigation for yourself) and its event timeline. Both are read again whenever the
 * conversation changes (a new `version`), so a rule's task or a reassignment shows up live.
 */
export function FollowUps({ conversation: c, directory, now }: { conversation: Conversation; directory: Directory; now: number }) {
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [events, setEvents] = useState<ConversationEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [type, setType] = useState<'callback' | 'internal_note'>('callback');
  const [due, setDue] = useState(() => localInput(now + 24 * 3_600_000));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [t, e] = await Promise.all([api.tasks(c.id), api.events(c.id)]);
      setTasks(t.items);
      setEvents(e);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Tasks and timeline could not be loaded.');
    }
  }, [c.id]);

  useEffect(() => {
    void load();
  }, [load, c.version]);

  const act = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      await load();
      return true;
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The change failed; check your connection.');
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const dueAt = due === '' ? null : new Date(due).toISOString();
    const ok = await act(() => api.addTask({ conversation: c.id, type, dueAt, note: note.trim() === '' ? null : note.trim() }));
    if (ok) {
      setNote('');
      setAdding(false);
    }
  };

  const open = tasks?.filter((t) => t.status === 'open') ?? [];
  return (
    <section className="follow-ups" aria-label="Follow-ups and timeline">
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <details className="follow-up-block">
        <summary>
          Follow-up tasks {tasks === null ? '' : `(${open.length} open)`}
        </summary>
        {tasks !== null && tasks.length === 0 && <p className="muted small">No follow-ups yet.</p>}
        <ul className="task-list" aria-label="Follow-up tasks">
          {(tasks ?? []).map((t) => (
            <li key={t.id} className={`task task-${t.status}`}>
              <span className="task-what">
                <strong>{TASK_TYPE_LABELS[t.type]}</strong> · {userName(directory, t.assignee) ?? 'the team'} · {when(t.dueAt)}
                {t.status !== 'open' && <span className="muted"> · {t.status}</span>}
              </span>
              {t.note !== null && <span className="task-note">{t.note}</span>}
              {t.status === 'open' && (
                <span className="task-actions">
                  <button type="button" disabled={busy} onClick={() => void act(() => api.patchTask(t.id, { status: 'done' }))}>
                    Done
                  </button>
                  <button type="button" className="ghost" disabled={busy} onClick={() => void act(() => api.patchTask(t.id, { status: 'cancelled' }))}>
                    Cancel task
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
        {adding ? (
          <form className="task-form" onSubmit={(e) => void add(e)} aria-label="Add a follow-up">
            <label>
              <span>Kind</span>
              <select value={type} onChange={(e) => setType(e.target.value as 'callback' | 'internal_note')}>
                <option value="callback">Call back</option>
                <option value="internal_note">Investigate</option>
              </select>
            </label>
            <label>
              <span>Due</span>
              <input type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
            </label>
            <label className="task-form-note">
              <span>Note</span>
              <input type="text" value={note} maxLength={5_000} onChange={(e) => setNote(e.target.value)} placeholder="What to do" />
            </label>
            <div className="task-form-actions">
              <button type="submit" className="primary" disabled={busy}>
                Add task
              </button>
              <button type="button" className="ghost" onClick={() => setAdding(false)}>
                Never mind
              </button>
            </div>
          </form>
        ) : (
          <button type="button" className="link" onClick={() => setAdding(true)}>
            + Add a follow-up for me
          </button>
        )}
      </details>
      <details className="follow-up-block">
        <summary>Timeline {events === null ? '' : `(${events.length})`}</summary>
        <ol className="timeline" aria-label="Timeline">
          {(events ?? []).map((e) => (
            <li key={e.id}>
              <time dateTime={e.createdAt}>{new Date(e.createdAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' })}</time>
              <span>{describeEvent(directory, e)}</span>
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
