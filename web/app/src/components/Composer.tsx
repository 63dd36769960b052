import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { api, ApiError, call, type Message, type SavedReply } from '../api.js';
import { useShortcut } from '../keyboard.js';
import { filterSavedReplies, slashQuery } from './saved-reply-picker.js';
import { shouldSendTyping } from './typing-indicator.js';

/**
 * Reply to the customer or write an internal note; Ctrl/⌘+Enter sends. While a reply is being
 * written the customer and the other agents are told (throttled); never while writing a note.
 * A `/` at the start (or the "Saved replies" button, or Alt+/) opens the saved replies, rendered
 * for this conversation (its language, its variables filled): type to filter, ↑/↓ to move, Enter
 * or Tab to insert, Esc to close.
 */
export function Composer({
  conversationId,
  onPosted,
}: {
  conversationId: string;
  onPosted: (m: Message) => void;
}) {
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const typingSentAt = useRef<number | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);

  // The saved replies, read once per conversation when the picker first opens.
  const [replies, setReplies] = useState<SavedReply[] | null>(null);
  const [repliesError, setRepliesError] = useState<string | null>(null);
  /** The picker opened by the button (appends to the text), else by a leading `/` (replaces it). */
  /** The text when the picker was opened by the button or Alt+/: what is typed after it filters, and the choice goes below it. */
  const [anchor, setAnchor] = useState<string | null>(null);
  const pickerByButton = anchor !== null && text.startsWith(anchor) && !text.slice(anchor.length).includes('\n');
  const [dismissed, setDismissed] = useState(false);
  const [active, setActive] = useState(0);
  const query = pickerByButton ? text.slice(anchor.length).trim() : slashQuery(text);
  const pickerOpen = (pickerByButton || (query !== null && !dismissed));
  const matches = pickerOpen && replies !== null ? filterSavedReplies(replies, query ?? '') : [];
  const listId = `saved-replies-${conversationId}`;

  useEffect(() => {
    if (!pickerOpen || replies !== null) return;
    let live = true;
    api
      .savedReplies(conversationId)
      .then((result) => live && setReplies(result.items))
      .catch(
        (e: unknown) =>
          live && setRepliesError(e instanceof ApiError ? e.message : 'Could not load the saved replies.'),
      );
    return () => {
      live = false;
    };
  }, [pickerOpen, replies, conversationId]);

  const focusAs = (next: 'reply' | 'note') => {
    setMode(next);
    field.current?.focus();
  };
  useShortcut('r', 'Reply to the customer', () => focusAs('reply'));
  useShortcut('n', 'Write an internal note', () => focusAs('note'));

  const onText = (value: string) => {
    setText(value);
    if (slashQuery(value) === null) setDismissed(false);
    setActive(0);
    const now = Date.now();
    if (!shouldSendTyping({ mode, text: value, lastSentAt: typingSentAt.current, now })) return;
    typingSentAt.current = now;
    // Ephemeral: a lost signal only means the customer does not see "typing…" this time.
    call<undefined>('POST', `/api/conversations/${encodeURIComponent(conversationId)}/typing`, {
      private: false,
    }).catch(() => undefined);
  };

  const closePicker = () => {
    setAnchor(null);
    setDismissed(true);
  };

  const insert = (reply: SavedReply) => {
    const body = reply.rendered?.body ?? reply.bodies[reply.defaultLanguage] ?? '';
    const base = pickerByButton ? anchor.replace(/\s+$/, '') : '';
    const next = base === '' ? body : `${base}\n${body}`;
    setText(next);
    setAnchor(null);
    setDismissed(false);
    setActive(0);
    field.current?.focus();
  };

  const send = async () => {
    const body = text.trim();
    if (body === '' || busy) return;
    setBusy(true);
    setError(null);
    try {
      onPosted(await api.post(conversationId, body, mode === 'note'));
      setText('');
      typingSentAt.current = null;
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Not sent; check your connection.');
    } finally {
      setBusy(false);
    }
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === '/' && e.altKey) {
      e.preventDefault();
      setAnchor(text);
      return;
    }
    if (pickerOpen) {
      if (e.key === 'Escape') {
        e.preventDefault();
        closePicker();
        return;
      }
      if (matches.length > 0 && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        setActive((at) => (at + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return;
      }
      if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.shiftKey) || e.key === 'Tab') {
        const chosen = matches[Math.min(active, matches.length - 1)];
        if (chosen !== undefined) {
          e.preventDefault();
          insert(chosen);
          return;
        }
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  const label = mode === 'reply' ? 'Reply to the customer' : 'Internal note (only agents see it)';
  const activeId = matches.length > 0 ? `${listId}-${Math.min(active, matches.length - 1)}` : undefined;
  return (
    <form
      className={`composer composer-${mode}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="composer-modes" role="group" aria-label="Message type">
        <button type="button" aria-pressed={mode === 'reply'} onClick={() => setMode('reply')}>
          Reply
        </button>
        <button type="button" aria-pressed={mode === 'note'} onClick={() => setMode('note')}>
          Note
        </button>
        <button
          type="button"
          className="ghost saved-replies-button"
          aria-expanded={pickerOpen}
          aria-controls={listId}
          title="Saved replies (type / at the start, or Alt+/)"
          onClick={() => {
            if (pickerOpen) closePicker();
            else setAnchor(text);
            field.current?.focus();
          }}
        >
          Saved replies
        </button>
      </div>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {pickerOpen && (
        <div className="saved-reply-picker">
          {repliesError !== null ? (
            <p className="form-error" role="alert">
              {repliesError}
            </p>
          ) : replies === null ? (
            <p className="muted small" role="status">
              Loading saved replies…
            </p>
          ) : matches.length === 0 ? (
            <p className="muted small" role="status">
              {replies.length === 0
                ? 'No saved replies yet: write them on the Saved replies screen (top bar).'
                : `No saved reply matches “${query ?? ''}”.`}
            </p>
          ) : (
            <ul id={listId} role="listbox" aria-label="Saved replies">
              {matches.map((reply, index) => (
                <li
                  key={reply.id}
                  id={`${listId}-${index}`}
                  role="option"
                  aria-selected={index === Math.min(active, matches.length - 1)}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    insert(reply);
                  }}
                >
                  <span className="saved-reply-title">
                    {reply.title}
                    {reply.shortcut !== null && <span className="muted"> /{reply.shortcut}</span>}
                    {!reply.shared && <span className="muted"> · personal</span>}
                  </span>
                  <span className="saved-reply-preview muted small">
                    {reply.rendered?.body ?? reply.bodies[reply.defaultLanguage]}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <label htmlFor={`composer-${conversationId}`} className="visually-hidden">
        {label}
      </label>
      <textarea
        ref={field}
        id={`composer-${conversationId}`}
        value={text}
        placeholder={
          mode === 'reply'
            ? 'Write a reply… (/ for saved replies, Ctrl+Enter to send)'
            : 'Write an internal note… (Ctrl+Enter to add)'
        }
        onChange={(e) => onText(e.target.value)}
        onKeyDown={onKey}
        rows={2}
        maxLength={20_000}
        role={pickerOpen ? 'combobox' : undefined}
        aria-expanded={pickerOpen ? true : undefined}
        aria-controls={pickerOpen ? listId : undefined}
        aria-autocomplete={pickerOpen ? 'list' : undefined}
        aria-activedescendant={pickerOpen ? activeId : undefined}
      />
      <div className="composer-foot">
        <span className="muted small">
          {mode === 'note' ? 'Only your team sees notes.' : 'The customer sees replies.'}
        </span>
        <button type="submit" className="primary" disabled={busy || text.trim() === ''}>
          {busy ? 'Sending…' : mode === 'reply' ? 'Send reply' : 'Add note'}
        </button>
      </div>
    </form>
  );
}
