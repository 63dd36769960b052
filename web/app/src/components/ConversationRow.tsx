import type { ReactNode } from 'react';
import type { Conversation } from '../api.js';
import { formatAgo, initials, STATUS_LABELS } from '../format.js';

/**
 * One conversation in a list (the inbox, search results): a link to it that opens in place on a
 * plain click and in a new tab as links do, with who, when and the status. What differs between
 * lists — the line under the name, the rest of the meta line — is passed in.
 */
export function ConversationRow(props: {
  conversation: Pick<Conversation, 'id' | 'contact' | 'lastActivityAt' | 'status'>;
  selected: string | null;
  now: number;
  onOpen: (id: string) => void;
  sub: ReactNode;
  meta: ReactNode;
}) {
  const { conversation: c, selected, now, onOpen } = props;
  return (
    <a
      href={`/conversations/${encodeURIComponent(c.id)}`}
      className="row"
      aria-current={c.id === selected ? 'true' : undefined}
      data-conversation-id={c.id}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        onOpen(c.id);
      }}
    >
      <span className="avatar" aria-hidden="true">
        {initials(c.contact.name)}
      </span>
      <span className="row-main">
        <span className="row-top">
          <span className="row-name">{c.contact.name ?? c.contact.email ?? 'Anonymous customer'}</span>
          <time className="row-time" dateTime={c.lastActivityAt}>
            {formatAgo(c.lastActivityAt, now)}
          </time>
        </span>
        {props.sub}
        <span className="row-meta">
          <span className={`badge status-${c.status}`}>{STATUS_LABELS[c.status]}</span>
          {props.meta}
        </span>
      </span>
    </a>
  );
}
