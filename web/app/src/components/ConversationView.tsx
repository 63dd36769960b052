import { useState } from 'react';
import { api, ApiError, type Conversation, type Message, type MeWithStatus, type OwnershipAction, type Priority } from '../api.js';
import { STATUS_LABELS } from '../format.js';
import { channelName, userName, queueName, teamName, type Directory } from './directory.js';
import { Composer } from './Composer.js';
import { FollowUps } from './FollowUps.js';
import { HandoffPanel } from './HandoffPanel.js';
import { Thread } from './Thread.js';
import { useTypingIndicator } from './useTypingIndicator.js';
import { useShortcut } from '../keyboard.js';

interface Props {
  conversation: Conversation;
  messages: readonly Message[] | undefined;
  me: MeWithStatus;
  directory: Directory;
  now: number;
  lastSeq: () => number;
  onConversation: (c: Conversation, requestedAtSeq: number) => void;
  onMessage: (m: Message) => void;
  onBack: () => void;
}

export function ConversationView({ conversation: c, messages, me, directory, now, lastSeq, onConversation, onMessage, onBack }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [transferTo, setTransferTo] = useState('');
  const [newTag, setNewTag] = useState('');
  const customerName = c.contact.name ?? c.contact.email ?? 'The customer';
  const typing = useTypingIndicator(c.id, me.id, customerName);

  /** Run one action; the conversation it answers with replaces ours, a refusal is shown as the server worded it. */
  const run = async (name: string, action: () => Promise<Conversation>) => {
    setBusy(name);
    setError(null);
    const requestedAtSeq = lastSeq();
    try {
      onConversation(await action(), requestedAtSeq);
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The action failed; check your connection.');
      return false;
    } finally {
      setBusy(null);
    }
  };

  const closed = c.status === 'resolved' || c.status === 'closed';
  // The server's ownership policy says what this viewer may do (`viewerCan`); the app never
  // guesses. Null while a realtime change waits for the conversation to be read again: no actions.
  const can = (action: OwnershipAction): boolean => c.viewerCan?.includes(action) === true;
  const holderName = c.owner === null ? null : (c.holder?.id === c.owner ? c.holder.name : (userName(directory, c.owner) ?? c.owner));
  const heldByOther = c.owner !== null && c.owner !== me.id && !closed;
  // Once a person has answered, the handoff card folds to one line (expandable) and the thread gets the room.
  const humanReplied = c.firstHumanResponseAt !== null || (messages ?? []).some((m) => m.author === 'user' && !m.private);

  useShortcut('e', 'Resolve the conversation', () => void (busy === null && run('resolve', () => api.resolve(c.id))), !closed && can('resolve'));

  const transfer = async () => {
    const [kind, id] = transferTo.split(':') as ['user' | 'team' | 'queue', string];
    if (id === undefined || id === '') return;
    const to = kind === 'user' ? { user: id } : kind === 'team' ? { team: id } : { queue: id };
    if (await run('transfer', async () => (await api.assign(c.id, to)).conversation)) setTransferTo('');
  };

  const setTags = (tags: string[]) => run('tags', async () => (await api.patch(c.id, { tags })).conversation);
  const addTag = async () => {
    const tag = newTag.trim();
    if (tag === '' || c.tags.includes(tag)) return;
    if (await setTags([...c.tags, tag])) setNewTag('');
  };

  const ownerText = c.owner !== null ? userName(directory, c.owner) : c.queue !== null ? `Unassigned · ${queueName(directory, c.queue)}` : c.team !== null ? `Unassigned · ${teamName(directory, c.team)}` : 'Unassigned';

  return (
    <article className="conversation" aria-labelledby="conversation-title">
      {/* One scroll area on a phone (head, handoff, thread) above the composer; `display: contents` on wider screens. */}
      <div className="conversation-scroll">
        <header className="conversation-head">
          <button type="button" className="ghost back" onClick={onBack} aria-label="Back to the list">
            ←
          </button>
          <div className="conversation-title">
            <h2 id="conversation-title">
              <a href={`/contacts/${encodeURIComponent(c.contact.id)}`} className="contact-link" title="Open the contact's page">
                {c.contact.name ?? c.contact.email ?? 'Anonymous customer'}
              </a>
            </h2>
            <p className="muted small">
              <span className={`badge status-${c.status}`}>{STATUS_LABELS[c.status]}</span> {channelName(directory, c.channel)} ·{' '}
              {heldByOther ? <span className="held-by badge">Held by {holderName}</span> : ownerText}
              {c.rating !== null && (
                <span className="rating" title={c.rating.comment ?? undefined}>
                  {' '}
                  · Rated <span aria-hidden="true">{'★'.repeat(c.rating.score) + '☆'.repeat(Math.max(0, 5 - c.rating.score))}</span>
                  <span className="visually-hidden">{c.rating.score} out of 5</span>
                  {c.rating.comment !== null && c.rating.comment !== '' && <span className="rating-comment"> “{c.rating.comment}”</span>}
                  {!c.rating.current && <span className="rating-comment"> (an earlier resolution)</span>}
                </span>
              )}
            </p>
            {c.previousConversationId !== null && (
              <p className="muted small previous-conversation">
                Follows{' '}
                <a href={`/conversations/${encodeURIComponent(c.previousConversationId)}`} title="Open the closed conversation this customer wrote to again">
                  an earlier, closed conversation
                </a>
              </p>
            )}
          </div>
          <div className="actions" role="toolbar" aria-label="Conversation actions">
            {can('claim') && (
              <button type="button" className="primary" disabled={busy !== null} onClick={() => void run('claim', () => api.claim(c.id))}>
                {busy === 'claim' ? 'Claiming…' : 'Claim'}
              </button>
            )}
            {can('take_over') && (
              <button
                type="button"
                className="primary"
                disabled={busy !== null}
                onClick={() => void run('take_over', () => api.takeOver(c.id))}
                title={`Take this conversation from ${holderName ?? 'its holder'}; they are told`}
              >
                {busy === 'take_over' ? 'Taking over…' : 'Take over'}
              </button>
            )}
            {can('release') && (
              <button type="button" disabled={busy !== null} onClick={() => void run('release', () => api.release(c.id))} title="Back to its queue, without an owner">
                Release
              </button>
            )}
            {can('handback') && (
              <button type="button" disabled={busy !== null} onClick={() => void run('handback', () => api.handback(c.id))}>
                Hand back to AI
              </button>
            )}
            {closed ? (
              // A closed conversation is not reopened: the customer's next message starts a new one.
              c.status === 'resolved' && (
                <button type="button" disabled={busy !== null} onClick={() => void run('reopen', () => api.reopen(c.id))}>
                  Reopen
                </button>
              )
            ) : (
              can('resolve') && (
                <button type="button" className="success" disabled={busy !== null} onClick={() => void run('resolve', () => api.resolve(c.id))}>
                  Resolve
                </button>
              )
            )}
          </div>
          <section className="properties-bar" aria-label="Priority, tags and transfer">
            <span className="inline-field">
              <label htmlFor={`priority-${c.id}`}>Priority</label>
              <select id={`priority-${c.id}`} value={c.priority} disabled={busy !== null} onChange={(e) => void run('priority', async () => (await api.patch(c.id, { priority: e.target.value as Priority })).conversation)}>
                <option value="low">Low</option>
                <option value="normal">Normal</option>
                <option value="high">High</option>
                <option value="urgent">Urgent</option>
              </select>
            </span>
            <div className="tags" role="group" aria-label="Tags">
              {c.tags.map((t) => (
                <span key={t} className="tag">
                  {t}
                  <button type="button" className="tag-remove" aria-label={`Remove tag ${t}`} disabled={busy !== null} onClick={() => void setTags(c.tags.filter((x) => x !== t))}>
                    ×
                  </button>
                </span>
              ))}
              <form
                className="tag-add"
                onSubmit={(e) => {
                  e.preventDefault();
                  void addTag();
                }}
              >
                <input aria-label="Add a tag" placeholder="Add tag" value={newTag} onChange={(e) => setNewTag(e.target.value)} maxLength={64} />
              </form>
            </div>
            {can('transfer') && (
              <form
                className="transfer"
                onSubmit={(e) => {
                  e.preventDefault();
                  void transfer();
                }}
              >
                <select aria-label="Transfer to" value={transferTo} onChange={(e) => setTransferTo(e.target.value)}>
                  <option value="">Transfer to…</option>
                  <optgroup label="People">
                    {directory.users
                      .filter((u) => u.id !== c.owner)
                      .map((u) => (
                        <option key={u.id} value={`user:${u.id}`}>
                          {u.name} ({u.currentStatus})
                        </option>
                      ))}
                  </optgroup>
                  <optgroup label="Teams">
                    {directory.teams.map((t) => (
                      <option key={t.id} value={`team:${t.id}`}>
                        {t.name}
                      </option>
                    ))}
                  </optgroup>
                  <optgroup label="Queues">
                    {directory.queues.map((q) => (
                      <option key={q.id} value={`queue:${q.id}`}>
                        {q.name}
                      </option>
                    ))}
                  </optgroup>
                </select>
                <button type="submit" disabled={transferTo === '' || busy !== null}>
                  Transfer
                </button>
              </form>
            )}
          </section>
        </header>

        {error !== null && (
          <div className="banner error" role="alert">
            {error}
          </div>
        )}
        {c.waitingReason !== null && c.waitingReason !== undefined && (
          <div className="banner" role="status">
            {c.waitingReason}
          </div>
        )}

        {/* Pinned above the thread: the context stays in view however long the thread grows. */}
        <div className="conversation-context">
          <HandoffPanel conversation={c} directory={directory} now={now} collapsed={humanReplied} />
          <FollowUps conversation={c} directory={directory} now={now} />

        </div>

        {/* Scrolls on its own on wide screens: focusable so the keyboard can scroll it (WCAG 2.1.1). */}
        <div className="conversation-body" tabIndex={0} role="region" aria-label="Messages">
          <Thread messages={messages} />
        </div>
      </div>

      {/* Always in the page, so screen readers hear the text when it changes. */}
      <p className="typing-indicator" role="status" aria-live="polite">
        {typing}
      </p>

      {c.status === 'closed' ? (
        // Nothing can be written to a closed conversation (the API answers 409): say so instead of a dead box.
        <p className="composer-closed" role="note">
          This conversation is closed: replies and notes can no longer be added. If the customer writes again, a new
          conversation starts and links back to this one.
        </p>
      ) : (
        <Composer conversationId={c.id} onPosted={onMessage} />
      )}
    </article>
  );
}
