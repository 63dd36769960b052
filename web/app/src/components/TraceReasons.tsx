import type { HandoffTrace } from '../api.js';
import { userName, type Directory } from './directory.js';

/**
 * "Why this came to me": each rule tried, matched or the condition that failed, the rule that
 * took it, the strategy and routing notes, and every candidate's eligibility and load. The
 * handoff panel and the simulator show a trace the same way.
 */
export function TraceReasons({ trace, directory }: { trace: HandoffTrace; directory: Directory }) {
  return (
    <>
      <ol className="trace" aria-label="Rules evaluated">
        {trace.evaluated.map((e) => (
          <li key={e.rule} className={e.matched ? 'matched' : 'failed'}>
            <span className="trace-mark" aria-hidden="true">
              {e.matched ? '✓' : '✗'}
            </span>
            <code>{e.rule}</code> {e.matched ? <span>matched</span> : <span className="muted">did not match: {e.failed ?? 'its trigger did not apply'}</span>}
          </li>
        ))}
        {!trace.evaluated.some((e) => e.matched && e.rule === trace.rule) && (
          <li className="matched">
            <span className="trace-mark" aria-hidden="true">
              ✓
            </span>
            <code>{trace.rule}</code> took it
          </li>
        )}
      </ol>
      {(trace.strategy !== null || trace.routingNotes.length > 0) && (
        <p className="muted small">
          {trace.strategy !== null && <>Strategy {trace.strategy.replaceAll('_', ' ')}. </>}
          {trace.routingNotes.join(' ')}
        </p>
      )}
      {trace.candidates.length > 0 && (
        <ul className="candidates" aria-label="Candidates">
          {trace.candidates.map((k) => (
            <li key={k.user}>
              <span className={k.eligible ? 'ok' : 'muted'}>{userName(directory, k.user)}</span>{' '}
              <span className="muted small">
                {k.eligible ? 'eligible' : (k.reason ?? 'not eligible')} · load {k.load}
                {k.capacity !== null ? `/${k.capacity}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
