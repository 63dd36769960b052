import { useEffect, useState } from 'react';
import { api, ApiError, type ContactDetail, type MeWithStatus } from '../api.js';
import { formatAgo, STATUS_LABELS } from '../format.js';
import { ScreenFrame } from './ScreenFrame.js';

type Loaded = { state: 'loading' } | { state: 'done'; detail: ContactDetail } | { state: 'failed'; message: string };

/** One contact: who they are, their properties, and their conversations, newest first. */
export function ContactPage({ me, id }: { me: MeWithStatus; id: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    api
      .contact(id)
      .then((detail) => live && setLoaded({ state: 'done', detail }))
      .catch(
        (error: unknown) =>
          live && setLoaded({ state: 'failed', message: error instanceof ApiError && error.status === 404 ? 'There is no such contact.' : 'Could not load this contact.' }),
      );
    return () => {
      live = false;
    };
  }, [id]);
  if (loaded.state !== 'done') {
    return (
      <ScreenFrame me={me} title="Contact">
        <p role={loaded.state === 'failed' ? 'alert' : 'status'}>{loaded.state === 'failed' ? loaded.message : 'Loading contact…'}</p>
      </ScreenFrame>
    );
  }
  const { contact, conversations, createdAt } = loaded.detail;
  const properties = Object.entries(contact.properties);
  const now = Date.now();
  return (
    <ScreenFrame me={me} title={contact.name ?? contact.email ?? 'Anonymous customer'}>
      <section className="contact-card" aria-label="Details">
        <dl className="contact-fields">
          <dt>Email</dt>
          <dd>{contact.email ?? '—'}</dd>
          <dt>Language</dt>
          <dd>{contact.language ?? '—'}</dd>
          <dt>Time zone</dt>
          <dd>{contact.timezone ?? '—'}</dd>
          <dt>Customer since</dt>
          <dd>
            <time dateTime={createdAt}>{new Date(createdAt).toLocaleDateString()}</time>
          </dd>
          {properties.map(([key, value]) => (
            <div key={key} className="contact-property">
              <dt>{key}</dt>
              <dd>{String(value)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="contact-conversations">
        <h2 id="contact-conversations">Conversations ({conversations.length})</h2>
        {conversations.length === 0 ? (
          <p className="muted">No conversations yet.</p>
        ) : (
          <ul className="contact-conversations" aria-label="Conversations of this contact">
            {conversations.map((c) => (
              <li key={c.id}>
                <a href={`/conversations/${encodeURIComponent(c.id)}`}>
                  <span className={`badge status-${c.status}`}>{STATUS_LABELS[c.status]}</span> {c.subject ?? c.channel}
                  {c.tags.length > 0 && <span className="muted"> · {c.tags.join(', ')}</span>}
                  <span className="muted"> · {formatAgo(c.lastActivityAt, now)}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </ScreenFrame>
  );
}
