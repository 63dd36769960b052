import type { ErrorDetail } from '../../../api.js';

/**
 * Where the server's 422 problems belong in a form. Paths are relative to the object sent
 * (`skills[1]`, `capacity.chat`, `(root)`), or whole-document paths for another object that
 * refers to it (`teams[1].members[0]`), as src/services/workspace/invalid-document.ts writes them.
 */

/** The problems at `path` or under it (`capacity` holds `capacity.chat`; `hours` holds `hours.mon-fri[0]`). */
export function problemsAt(problems: readonly ErrorDetail[], path: string): ErrorDetail[] {
  return problems.filter((p) => isAtOrUnder(p.path, path));
}

export function isAtOrUnder(problemPath: string, path: string): boolean {
  return problemPath === path || problemPath.startsWith(`${path}.`) || problemPath.startsWith(`${path}[`);
}

/** Problems no field of the form shows (the object as a whole, or another object's path). */
export function unplacedProblems(
  problems: readonly ErrorDetail[],
  fieldPaths: readonly string[],
): ErrorDetail[] {
  return problems.filter((p) => !fieldPaths.some((path) => isAtOrUnder(p.path, path)));
}

/** A problem as one line of text: `capacity.chat: must be a whole number`. */
export function describeProblem(problem: ErrorDetail): string {
  return problem.path === '' || problem.path === '(root)'
    ? problem.message
    : `${problem.path}: ${problem.message}`;
}
