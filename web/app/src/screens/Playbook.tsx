import { useEffect, useState } from 'react';
import { api, ApiError, type MeWithStatus, type Playbook as PlaybookView } from '../api.js';
import { ScreenFrame } from './ScreenFrame.js';

/**
 * The handoff playbook: the active rules in plain language, for every agent —
 * what hands a conversation to people, where each kind goes, who is alerted, what the customer
 * is told. Read from GET /api/playbook, generated from the active ruleset version.
 */
export function Playbook({ me }: { me: MeWithStatus }) {
  const [playbook, setPlaybook] = useState<PlaybookView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .playbook()
      .then(setPlaybook)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'Could not load the playbook; check your connection.'));
  }, []);

  return (
    <ScreenFrame me={me} title="Handoff playbook">
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {playbook === null ? (
        error === null && (
          <p className="muted" role="status">
            Loading the playbook…
          </p>
        )
      ) : (
        <div className="playbook">
          <p className="muted">
            How {playbook.workspace} hands conversations to people today
            {playbook.rulesetVersion === null ? '' : ` (rules version ${playbook.rulesetVersion})`}. The rules are tried in order; the first that
            matches decides.
          </p>
          <section aria-labelledby="playbook-triggers">
            <h2 id="playbook-triggers">What hands a conversation to people</h2>
            <ul className="playbook-triggers">
              {playbook.triggers.map((t) => (
                <li key={t.trigger}>
                  <strong>{t.label}</strong>
                  <span className="muted">
                    {' '}
                    → {t.rules.map((id) => (playbook.entries.find((e) => e.id === id)?.title ?? id).replace(/\.$/, '')).join('; else ')}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="playbook-rules">
            <h2 id="playbook-rules">Where each kind goes</h2>
            <ol className="playbook-rules">
              {playbook.entries.map((entry) => (
                <li key={entry.id} className="playbook-rule" data-rule={entry.id}>
                  <h3>{entry.title}</h3>
                  <dl>
                    <div>
                      <dt>When</dt>
                      <dd>
                        {entry.when}
                        {entry.onlyIf !== null && <> — only if {entry.onlyIf.charAt(0).toLowerCase() + entry.onlyIf.slice(1)}</>}
                      </dd>
                    </div>
                    <div>
                      <dt>Goes to</dt>
                      <dd>{entry.goesTo.charAt(0).toUpperCase() + entry.goesTo.slice(1)}</dd>
                    </div>
                    <div>
                      <dt>Owner</dt>
                      <dd>{entry.assignment}</dd>
                    </div>
                    <div>
                      <dt>Alerted</dt>
                      <dd>{entry.alerts}</dd>
                    </div>
                    <div>
                      <dt>Customer is told</dt>
                      <dd>
                        {entry.customerHears === null ? (
                          'The built-in message in their language (who joined, or the expected wait).'
                        ) : entry.customerHears.length === 0 ? (
                          'Nothing.'
                        ) : (
                          <ul className="playbook-messages">
                            {entry.customerHears.map((m) => (
                              <li key={m.language}>
                                <span className="badge">{m.language}</span> {m.text}
                              </li>
                            ))}
                          </ul>
                        )}
                      </dd>
                    </div>
                    {entry.queueNotes.length > 0 && (
                      <div>
                        <dt>In the queue</dt>
                        <dd>{entry.queueNotes.join(' ')}</dd>
                      </div>
                    )}
                    {entry.tasks.length > 0 && (
                      <div>
                        <dt>Follow-ups</dt>
                        <dd>{entry.tasks.join(' ')}</dd>
                      </div>
                    )}
                    {entry.sets !== null && (
                      <div>
                        <dt>Also</dt>
                        <dd>{entry.sets}</dd>
                      </div>
                    )}
                  </dl>
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
    </ScreenFrame>
  );
}
