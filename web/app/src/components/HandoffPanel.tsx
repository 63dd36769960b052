import type { Conversation } from '../api.js';
import { formatDuration, slaClock, TRIGGER_LABELS } from '../format.js';
import { queueName, teamName, userName, type Directory } from './directory.js';
import { TraceReasons } from './TraceReasons.js';

/** Where the summary came from, in the panel's words. */
const SUMMARY_SOURCE = { llm: 'by the AI model', bot: 'by the bot', api: 'from the API', extractive: "the customer's own words" } as const;

function destinationText(c: Conversation, d: Directory): string {
  const trace = c.handoff;
  if (trace === null) return '';
  switch (trace.outcome) {
    case 'assigned':
      return `Assigned to ${userName(d, trace.assignee) ?? 'an agent'}${trace.team !== null ? ` (${teamName(d, trace.team)})` : ''}`;
    case 'queued':
      return `Queued in ${queueName(d, trace.queue) ?? teamName(d, trace.team) ?? 'a queue'}${trace.queuePosition !== null ? `, position ${trace.queuePosition}` : ''}`;
    case 'kept_owner':
      return `Kept with ${userName(d, trace.assignee ?? c.owner) ?? 'its owner'}; followers alerted`;
  }
}

/**
 * Context for the human at the top of the conversation:
 * the trigger, the rule and each earlier rule's first failed condition, what the AI agent
 * detected, the contact, the wait the customer was promised and the SLA clock. Once a person has
 * replied (`collapsed`) it folds to its one summary line — trigger, rule, where it went, the SLA —
 * and opens on a click: at 1280×800 the full card took ~40 % of the pane (issue 16 §4).
 */
export function HandoffPanel({ conversation: c, directory, now, collapsed = false }: { conversation: Conversation; directory: Directory; now: number; collapsed?: boolean }) {
  const trace = c.handoff;
  const sla = slaClock(c, now);
  const properties = Object.entries(c.contact.properties);
  const language = c.language ?? trace?.language ?? c.contact.language;
  const intent = c.intent ?? trace?.intent ?? null;

  return (
    <section className="handoff" aria-labelledby="handoff-title">
      <details className="handoff-fold" open={!collapsed}>
      <summary className="handoff-head">
        <h3 id="handoff-title">{trace === null ? 'No handoff yet' : 'Handoff'}</h3>
        {trace !== null && (
          <span className="handoff-line muted">
            {TRIGGER_LABELS[trace.trigger]} · <code>{trace.rule}</code> · {destinationText(c, directory)}
          </span>
        )}
        {sla.state !== 'none' && (
          <span className={`sla sla-${sla.state}${sla.state === 'running' && sla.urgent ? ' sla-urgent' : ''}`} role="status" aria-label={`SLA: ${sla.text}`}>
            <svg viewBox="0 0 24 24" width="13" height="13" aria-hidden="true" className="sla-icon">
              <path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16Zm-1 3v6l5 3 1-1.7-4-2.3V7Z" />
            </svg>{' '}
            {sla.text}
          </span>
        )}
      </summary>
      {trace === null ? (
        <p className="muted">
          {c.status === 'bot' ? 'The AI agent is handling this conversation.' : 'This conversation was not handed off by a rule.'}
        </p>
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>Trigger</dt>
              <dd>{TRIGGER_LABELS[trace.trigger]}</dd>
            </div>
            <div>
              <dt>Rule</dt>
              <dd>
                <code>{trace.rule}</code>
                {trace.ruleVersion !== null && <span className="muted"> · v{trace.ruleVersion}</span>}
              </dd>
            </div>
            <div>
              <dt>Routed</dt>
              <dd>{destinationText(c, directory)}</dd>
            </div>
            <div>
              <dt>Expected wait told to customer</dt>
              <dd>
                {trace.outOfHours && trace.nextOpenAt !== null
                  ? `Out of hours; back ${new Date(trace.nextOpenAt).toLocaleString()}`
                  : trace.expectedWaitSeconds !== null
                    ? formatDuration(trace.expectedWaitSeconds)
                    : 'None promised'}
              </dd>
            </div>
            <div>
              <dt>Intent</dt>
              <dd>{intent ?? <span className="muted">none detected</span>}</dd>
            </div>
            <div>
              <dt>Language</dt>
              <dd>{language ?? <span className="muted">unknown</span>}</dd>
            </div>
          </dl>
          {trace.summary != null && trace.summary.text !== '' && (
            <div className="summary">
              <h4>Summary ({SUMMARY_SOURCE[trace.summary.source]})</h4>
              <p>{trace.summary.text}</p>
            </div>
          )}
          {trace.note !== null && trace.note !== '' && (
            <div className="summary">
              <h4>Handoff note</h4>
              <p>{trace.note}</p>
            </div>
          )}
          <details className="why" open>
            <summary>Why this came to me</summary>
            <TraceReasons trace={trace} directory={directory} />
          </details>
        </>
      )}
      <details className="contact-card" open>
        <summary>
          Contact: {c.contact.name ?? 'Anonymous'}
          {c.contact.email !== null && <span className="muted"> · {c.contact.email}</span>}
        </summary>
        {properties.length === 0 ? (
          <p className="muted small">No properties.</p>
        ) : (
          <dl className="properties">
            {properties.map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{String(value)}</dd>
              </div>
            ))}
          </dl>
        )}
      </details>
      </details>
    </section>
  );
}
