import { useRef, useState, type KeyboardEvent } from 'react';
import { api, ApiError, call, type Message } from '../api.js';
import { shouldSendTyping } from './typing-indicator.js';

/**
 * Reply to the customer or write an internal note; Ctrl/⌘+Enter sends. While a reply is being
 * written the customer and the other agents are told (throttled); never while writing a note.
 */
export function Composer({ conversationId, disabled, onPosted }: { conversationId: string; disabled: boolean; onPosted: (m: Message) => void }) {
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const typingSentAt = useRef<number | null>(null);

  const onText = (value: string) => {
    setText(value);
    const now = Date.now();
    if (!shouldSendTyping({ mode, text: value, lastSentAt: typingSentAt.current, now })) return;
    typingSentAt.current = now;
    // Ephemeral: a lost signal only means the customer does not see "typing…" this time.
    call<undefined>('POST', `/api/conversations/${encodeURIComponent(conversationId)}/typing`, { private: false }).catch(() => undefined);
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
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  const label = mode === 'reply' ? 'Reply to the customer' : 'Internal note (only agents see it)';
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
      </div>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <label htmlFor={`composer-${conversationId}`} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={`composer-${conversationId}`}
        value={text}
        placeholder={mode === 'reply' ? 'Write a reply… (Ctrl+Enter to send)' : 'Write an internal note… (Ctrl+Enter to add)'}
        onChange={(e) => onText(e.target.value)}
        onKeyDown={onKey}
        disabled={disabled}
        rows={2}
        maxLength={20_000}
      />
      <div className="composer-foot">
        <span className="muted small">{mode === 'note' ? 'Only your team sees notes.' : 'The customer sees replies.'}</span>
        <button type="submit" className="primary" disabled={disabled || busy || text.trim() === ''}>
          {busy ? 'Sending…' : mode === 'reply' ? 'Send reply' : 'Add note'}
        </button>
      </div>
    </form>
  );
}
