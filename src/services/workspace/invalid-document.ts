import type { ConfigProblem } from '../../config/config-problem.js';
import { BatonError } from '../../platform/errors.js';

/** The one error for a document (or part of one) that does not validate: 422 `invalid` with every problem. */
export function invalidDocument(what: string, problems: readonly ConfigProblem[]): BatonError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new BatonError('invalid', `${what} has ${count}; nothing was changed`, { details: [...problems] });
}

/**
 * Problems at or under `prefix` (`users[2]`, `handoff`) with paths relative to it, so a request
 * body's problems name the body's own fields; others keep their document path (a team that
 * still lists a removed user is reported where the team is).
 */
export function relativeTo(prefix: string, problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems.map((problem) => {
    if (problem.path === prefix) return { ...problem, path: '(root)' };
    if (problem.path.startsWith(`${prefix}.`)) return { ...problem, path: problem.path.slice(prefix.length + 1) };
    if (problem.path.startsWith(`${prefix}[`)) return { ...problem, path: problem.path.slice(prefix.length) };
    return problem;
  });
}

/** Only the problems at or under `prefix`. */
export function under(prefix: string, problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`));
}
