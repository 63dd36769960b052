import { useId } from 'react';
import type { ConfigProblem } from '../api.js';

/** `line 12, column 3`, or `no line` for a problem of the document as a whole. */
export const problemWhere = (p: ConfigProblem): string =>
  p.line === undefined ? 'no line' : `line ${p.line}${p.column === undefined ? '' : `, column ${p.column}`}`;

/**
 * A titled list of a workspace document's problems or warnings: where (a button that moves the
 * editor's caret to the line, when there is one), the path, and the message — all as text.
 */
export function ProblemList({
  title,
  tone,
  problems,
  onGoToLine,
}: {
  /** `Problems`, `Warnings`: the heading (with the count) and the list's name. */
  title: string;
  tone: 'problem' | 'warning';
  problems: readonly ConfigProblem[];
  onGoToLine: (line: number, column: number | undefined) => void;
}) {
  const headingId = useId();
  if (problems.length === 0) return null;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>
        {title} ({problems.length})
      </h3>
      <ul className={tone === 'warning' ? 'problem-list warning-list' : 'problem-list'} aria-label={title}>
        {problems.map((p, i) => {
          const line = p.line;
          return (
            <li key={i}>
              {line === undefined ? (
                <span className="problem-where">{problemWhere(p)}</span>
              ) : (
                <button type="button" className="link problem-where" onClick={() => onGoToLine(line, p.column)} aria-label={`Go to ${problemWhere(p)}`}>
                  {problemWhere(p)}
                </button>
              )}
              <code className="problem-path">{p.path}</code>
              <span className="problem-message">{p.message}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
