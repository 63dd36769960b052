import type { HandoffTrace, SimulationResult } from '../../api.js';
import { formatDuration, TRIGGER_LABELS } from '../../format.js';
import { queueName, teamName, userName, type Directory } from '../../components/directory.js';
import { TraceReasons } from '../../components/TraceReasons.js';
import { expectationValue } from './scenario-form.js';

const AUTHOR_LABEL = { contact: 'Customer', assistant: 'AI agent', user: 'Agent', system: 'System' } as const;
const NOTIFY_REASON = { assigned: 'assigned', queued: 'queued', alert: 'alert', sla_breach: 'SLA breach' } as const;

function destinationText(t: HandoffTrace, d: Directory): string {
  const dest = t.destination;
  if ('user' in dest) return `User ${userName(d, dest.user) ?? dest.user}`;
  if ('team' in dest) return `Team ${teamName(d, dest.team) ?? dest.team}`;
  return `Queue ${queueName(d, dest.queue) ?? dest.queue} (${dest.queue})`;
}

function outcomeText(t: HandoffTrace, d: Directory): string {
  switch (t.outcome) {
    case 'assigned':
      return `Assigned to ${userName(d, t.assignee) ?? 'an agent'}${t.team !== null ? ` (${teamName(d, t.team)})` : ''}`;
    case 'queued':
      return `Queued in ${queueName(d, t.queue) ?? teamName(d, t.team) ?? 'a queue'}${t.queuePosition !== null ? `, position ${t.queuePosition}` : ''}`;
    case 'kept_owner':
      return `Kept with ${userName(d, t.assignee ?? t.previousOwner) ?? 'the owner'}; followers alerted`;
  }
}

function recipients(ids: readonly string[], d: Directory): string {
  return ids.length === 0 ? 'nobody' : ids.map((id) => userName(d, id) ?? id).join(', ');
}

/** The transcript and, when the conversation was handed off, the whole trace. All text, no HTML. */
export function SimulationView({ result, directory: d }: { result: SimulationResult; directory: Directory }) {
  const t = result.trace;
  return (
    <div className="sim-result">
      <p className="muted small">
        Simulated at {new Date(result.at).toLocaleString()} against {result.ruleset === 'draft' ? 'the draft ruleset' : `ruleset version ${result.ruleset}`}
        {' · '}language {result.language ?? 'not detected'}
      </p>

      <h3 className="sim-h">Conversation</h3>
      <ol className="thread sim-thread" aria-label="Simulated conversation">
        {result.transcript.map((m, i) => (
          <li key={i} className={`message message-${m.author}`} data-author={m.author}>
            {m.author === 'system' ? (
              <p className="message-body">{m.body}</p>
            ) : (
              <>
                <div className="message-meta">
                  <span className="message-author">{AUTHOR_LABEL[m.author]}</span>
                </div>
                <p className="message-body">{m.body}</p>
              </>
            )}
          </li>
        ))}
        {t !== null && (
          <li className="message message-system sim-handoff-marker">
            <p className="message-body">
              Handed off ({TRIGGER_LABELS[t.trigger]}) by rule {t.rule}: {outcomeText(t, d)}
            </p>
          </li>
        )}
      </ol>

      {result.deferredTo !== null && (
        <p className="notice sim-deferred" role="note">
          Deferred to {result.deferredTo}: the last message went to the channel&apos;s external assistant ({result.deferredTo}), which the simulator does not call.
        </p>
      )}
      {t === null && result.deferredTo === null && <p className="notice">No handoff: the AI agent kept the conversation.</p>}

      {result.expectations.length > 0 && (
        <section className="sim-expectations" aria-label="Expectations">
          <h3 className="sim-h">
            Expectations: {result.passed ? 'all passed' : `${result.expectations.filter((e) => !e.ok).length} of ${result.expectations.length} failed`}
          </h3>
          <ul className="trace">
            {result.expectations.map((e) => (
              <li key={e.field} className={e.ok ? 'matched' : 'failed'}>
                <span className="trace-mark" aria-hidden="true">
                  {e.ok ? '✓' : '✗'}
                </span>
                <code>{e.field}</code> <strong>{e.ok ? 'passed' : 'failed'}</strong>: expected <span className="sim-text">{expectationValue(e.expected)}</span>, got{' '}
                <span className="sim-text">{expectationValue(e.actual)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {t !== null && (
        <section className="sim-trace" aria-label="Handoff trace">
          <h3 className="sim-h">Handoff trace</h3>
          <dl className="facts">
            <div>
              <dt>Trigger</dt>
              <dd>
                {TRIGGER_LABELS[t.trigger]} <code>{t.trigger}</code>
              </dd>
            </div>
            <div>
              <dt>Rule</dt>
              <dd>
                <code>{t.rule}</code>
                {t.ruleVersion !== null && <span className="muted"> · v{t.ruleVersion}</span>}
              </dd>
            </div>
            <div>
              <dt>Destination</dt>
              <dd>{destinationText(t, d)}</dd>
            </div>
            <div>
              <dt>Assignment</dt>
              <dd>{t.assignment.replaceAll('_', ' ')}</dd>
            </div>
            <div>
              <dt>Outcome</dt>
              <dd>{outcomeText(t, d)}</dd>
            </div>
            <div>
              <dt>Expected wait</dt>
              <dd>
                {t.outOfHours && t.nextOpenAt !== null
                  ? `Out of hours; opens ${new Date(t.nextOpenAt).toLocaleString()}`
                  : t.expectedWaitSeconds !== null
                    ? formatDuration(t.expectedWaitSeconds)
                    : 'None promised'}
              </dd>
            </div>
            <div>
              <dt>Priority and tags</dt>
              <dd>
                {t.priority}
                {t.tags.length > 0 && ` · ${t.tags.join(', ')}`}
              </dd>
            </div>
            <div>
              <dt>Intent</dt>
              <dd>{t.intent ?? <span className="muted">none detected</span>}</dd>
            </div>
          </dl>

          <h4 className="sim-h4">Rules evaluated</h4>
          <TraceReasons trace={t} directory={d} />

          <h4 className="sim-h4">Messages to the customer</h4>
          {t.customerMessages.length === 0 ? (
            <p className="muted small">None.</p>
          ) : (
            <ul className="sim-list">
              {t.customerMessages.map((m, i) => (
                <li key={i}>
                  <code>{m.language}</code> <span className="sim-text">{m.body}</span>
                </li>
              ))}
            </ul>
          )}

          <h4 className="sim-h4">Notifications</h4>
          {t.notifications.length === 0 ? (
            <p className="muted small">None.</p>
          ) : (
            <ul className="sim-list">
              {t.notifications.map((n, i) => (
                <li key={i}>
                  {n.channel.replace('_', '-')} to {recipients(n.recipients, d)} <span className="muted">({NOTIFY_REASON[n.reason]})</span>
                </li>
              ))}
            </ul>
          )}

          <h4 className="sim-h4">Tasks</h4>
          {t.tasks.length === 0 ? (
            <p className="muted small">None.</p>
          ) : (
            <ul className="sim-list">
              {t.tasks.map((k, i) => (
                <li key={i}>
                  {k.type.replace('_', ' ')} for {k.assignee !== null ? (userName(d, k.assignee) ?? k.assignee) : k.team !== null ? `team ${teamName(d, k.team)}` : 'nobody yet'}
                  {k.dueAt !== null && `, due ${new Date(k.dueAt).toLocaleString()}`}
                  {k.dueAfterResolutionSeconds !== null && `, due ${formatDuration(k.dueAfterResolutionSeconds)} after resolution`}
                  {k.note !== null && <span className="muted"> · {k.note}</span>}
                </li>
              ))}
            </ul>
          )}

          {t.timers.length > 0 && (
            <>
              <h4 className="sim-h4">Timers</h4>
              <ul className="sim-list">
                {t.timers.map((k, i) => (
                  <li key={i}>
                    {k.kind} on {queueName(d, k.queue)}, {new Date(k.dueAt).toLocaleString()}
                  </li>
                ))}
              </ul>
            </>
          )}

          {t.note !== null && t.note !== '' && (
            <>
              <h4 className="sim-h4">Notes</h4>
              <p className="sim-text">{t.note}</p>
            </>
          )}
        </section>
      )}
    </div>
  );
}
