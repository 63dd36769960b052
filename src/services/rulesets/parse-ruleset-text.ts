import { readYamlOffThread } from '../../config/parse-off-thread.js';
import { nestingProblem } from '../../platform/nesting.js';
import { BatonError } from '../../platform/errors.js';

/**
 * The `handoff` section as YAML text (`PUT /api/ruleset/draft` with a YAML body): its value, or
 * a 422 naming each syntax problem with its line. A long text is read off the thread.
 */
export async function parseRulesetText(text: string): Promise<unknown> {
  const read = await readYamlOffThread(text);
  if (!read.ok) {
    throw new BatonError('invalid', 'the ruleset is not valid YAML; nothing was changed', {
      details: read.problems.map((problem) => ({
        path: problem.line === undefined ? '(document)' : `line ${problem.line}, column ${problem.column ?? 1}`,
        message: problem.message,
      })),
    });
  }
  const shape = nestingProblem(read.value);
  if (shape) throw new BatonError('invalid', `the ruleset cannot be read: ${shape.path}: ${shape.message}; nothing was changed`, { details: [shape] });
  return read.value;
}
