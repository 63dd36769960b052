import { resolve } from 'node:path';
import type { ConfigProblem } from '../../config/config-problem.js';
import { readConfigFile } from '../../config/read-config-file.js';
import { BatonError } from '../../platform/errors.js';
import type { CliIo, CommandArgs, CommandSpec, OptionSpec } from '../io.js';

export const FILE_OPTION: OptionSpec = { type: 'string', short: 'f', value: 'file', description: 'the workspace file (YAML, or JSON when it ends in .json); may also be given as the argument' };

export const command: CommandSpec = {
  usage: 'usage: baton validate -f baton.yaml',
  description:
    'Check a workspace file without touching any database: syntax, ${VAR} from the environment, the schema\nand references. Every problem goes to stderr with its path and line; exit 2 when invalid.',
  options: { file: FILE_OPTION },
  maxPositionals: 1,
};

/** `path: message (line L, column C)` — the form editors and CI logs link from. */
export function formatProblem(problem: ConfigProblem): string {
  const at = problem.line === undefined ? '' : ` (line ${problem.line}, column ${problem.column ?? 1})`;
  return `${problem.path}: ${problem.message}${at}`;
}

/** The file named by `-f`/`--file` (or the positional argument), resolved against the working directory. */
export function configFileArg(args: CommandArgs, io: CliIo, usage: string): string {
  const named = args.values.file;
  const file = typeof named === 'string' ? named : args.positionals[0];
  if (typeof file !== 'string') {
    throw new BatonError('invalid', `name the workspace file\n${usage}`, { details: [{ path: '-f', message: 'required' }] });
  }
  if (typeof named === 'string' && args.positionals.length > 0) {
    throw new BatonError('invalid', `name the workspace file once (-f or the argument)\n${usage}`);
  }
  return resolve(io.cwd, file);
}

/**
 * Check a workspace file without touching any database: syntax, `${VAR}` from the environment,
 * the schema and references. Every problem goes to stderr, in document order; exit 2 when invalid.
 */
export async function run(args: CommandArgs, io: CliIo): Promise<number> {
  const path = configFileArg(args, io, command.usage);
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
