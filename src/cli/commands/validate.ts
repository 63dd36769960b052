import { resolve } from 'node:path';
import type { ConfigProblem } from '../../config/config-problem.js';
import { readConfigFile } from '../../config/read-config-file.js';
import { BatonError } from '../../platform/errors.js';
import type { CliIo } from '../io.js';
import { parseArgs } from '../io.js';

const USAGE = 'usage: baton validate -f baton.yaml';

/** `path: message (line L, column C)` — the form editors and CI logs link from. */
export function formatProblem(problem: ConfigProblem): string {
  const at = problem.line === undefined ? '' : ` (line ${problem.line}, column ${problem.column ?? 1})`;
  return `${problem.path}: ${problem.message}${at}`;
}

/** The file named by `-f`/`--file` (or the first positional argument), resolved against the working directory. */
export function configFileArg(args: readonly string[], io: CliIo, usage: string, booleans: readonly string[] = []): { path: string; flags: Map<string, string | true> } {
  const { flags, positional } = parseArgs(args, booleans);
  const file = flags.get('f') ?? flags.get('file') ?? positional[0];
  if (typeof file !== 'string') {
    throw new BatonError('invalid', `name the workspace file\n${usage}`, { details: [{ path: '-f', message: 'required' }] });
  }
  return { path: resolve(io.cwd, file), flags };
}

/**
 * Check a workspace file without touching any database: syntax, `${VAR}` from the environment,
 * the schema and references. Every problem goes to stderr, in document order; exit 2 when invalid.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { path } = configFileArg(args, io, USAGE);
  const result = await readConfigFile(path, io.env);
  for (const warning of result.warnings) io.err(`warning: ${formatProblem(warning)}\n`);
  if (!result.ok) {
    for (const problem of result.problems) io.err(`${formatProblem(problem)}\n`);
    io.err(`${path}: ${result.problems.length} ${result.problems.length === 1 ? 'problem' : 'problems'}\n`);
    return 2;
  }
  const { config } = result;
  io.out(
    `valid: ${config.users.length} users, ${config.teams.length} teams, ${config.queues.length} queues, ${config.channels.length} channels, ${config.handoff.rules.length} rules\n`,
  );
  return 0;
}
