import { describe, expect, it } from 'vitest';
import { describeProblem, problemsAt, unplacedProblems } from './problems.js';

const problems = [
  { path: 'skills[1]', message: 'must not be empty' },
  { path: 'capacity.chat', message: 'must be a whole number' },
  { path: 'capacityx', message: 'not a capacity problem' },
  { path: 'teams[1].members[0]', message: 'unknown user "zed"' },
  { path: '(root)', message: 'unknown field "x"' },
];

describe('placing server problems in a form', () => {
  it('finds the problems at a field and under it, not at a field that only shares its prefix', () => {
    expect(problemsAt(problems, 'capacity').map((p) => p.path)).toEqual(['capacity.chat']);
    expect(problemsAt(problems, 'skills').map((p) => p.path)).toEqual(['skills[1]']);
    expect(problemsAt(problems, 'capacity.chat')).toHaveLength(1);
    expect(problemsAt(problems, 'email')).toEqual([]);
  });

  it('keeps the problems no field shows, such as another object that refers to this one', () => {
    expect(unplacedProblems(problems, ['skills', 'capacity', 'capacityx']).map((p) => p.path)).toEqual([
      'teams[1].members[0]',
      '(root)',
    ]);
  });

  it('writes a problem with its path, and one about the whole object without', () => {
    expect(describeProblem({ path: 'capacity.chat', message: 'must be a whole number' })).toBe(
      'capacity.chat: must be a whole number',
    );
    expect(describeProblem({ path: '(root)', message: 'unknown field "x"' })).toBe('unknown field "x"');
  });
});
