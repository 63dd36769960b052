import { useEffect, useRef } from 'react';
import type { Message } from '../api.js';
import { LinkedText } from './LinkedText.js';

const AUTHOR_LABEL: Record<Message['author'], string> = { contact: 'Customer', assistant: 'AI agent', user: 'Agent', system: 'System' };

function kindOf(m: Message): string {
  if (m.private) return 'note';
  return m.author;
}

/**
 * The thread: customer, AI agent, people and internal notes each look different. Bodies are
 * customer text: rendered as React text children (escaped) with http(s)/mailto links as `<a>`
 * elements (LinkedText), never as HTML.
 */
export function Thread({ messages }: { messages: readonly Message[] | undefined }) {
  const end = useRef<HTMLLIElement>(null);
  const count = messages?.length ?? 0;
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'nearest' });
  }, [count]);

  if (messages === undefined) {
    return (
      <p className="muted pad" role="status">
        Loading messages…
      </p>
    );
  }
  return (
    <ol className="thread" aria-label="Messages" aria-live="polite">
      {messages.map((m) => {
        const kind = kindOf(m);
        const who = m.authorName ?? AUTHOR_LABEL[m.author];
        return (
          <li key={m.id} className={`message message-${kind}`} data-author={m.author} data-private={m.private ? 'true' : undefined}>
            {kind === 'system' ? (
              <p className="message-body">
                  <LinkedText text={m.body} />
                </p>
            ) : (
              <>
                <div className="message-meta">
                  <span className="message-author">{who}</span>
                  <span className="message-kind">{m.private ? 'Internal note' : AUTHOR_LABEL[m.author]}</span>
                  <time dateTime={m.createdAt}>{new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time>
                </div>
                <p className="message-body">
                  <LinkedText text={m.body} />
                </p>
              </>
            )}
          </li>
        );
      })}
      <li ref={end} className="thread-end" aria-hidden="true" />
    </ol>
  );
}
