import type { z } from 'zod';
import type { ErrorDetail } from './common.js';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** `handoff.rules[2].then.destination.queue` */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function depth(issues: readonly Issue[]): number {
  let max = -1;
  for (const issue of issues) {
    const nested = issue.code === 'invalid_union' ? depth(issue.errors.flat()) : 0;
    max = Math.max(max, issue.path.length + nested);
  }
  return max;
}

/**
 * Every problem, each with its full path. A union reports the branch that got furthest
 * into the input (the one the author meant), not "Invalid input" for every branch.
 */
export function flattenIssues(issues: readonly Issue[], base: readonly PathKey[] = []): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = [...issue.errors].sort((a, b) => depth(b) - depth(a));
      const best = branches[0]!;
      if (depth(best) > 0 || best.every((i) => i.code !== 'invalid_type')) {
        out.push(...flattenIssues(best, path));
        continue;
      }
    }
    out.push({ path: formatPath(path), message: issue.message });
  }
  return out;
}
