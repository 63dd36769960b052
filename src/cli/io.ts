import { parseArgs } from 'node:util';
import { parseEnv, type Env } from '../platform/env.js';
import { BatonError } from '../platform/errors.js';

/** Where a command writes and what it reads from its surroundings; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** What a command reads a secret from (`baton user password`); absent: nothing to read. */
  readonly stdin?: NodeJS.ReadStream;
  /**
   * The process's own streams, for what only a terminal shows (`baton replay`'s progress bar on
   * stderr when both are TTYs); absent: not a terminal, nothing of the kind is drawn.
   */
  readonly terminal?: { readonly stdout: { readonly isTTY?: boolean }; readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number } };
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
  terminal: { stdout: process.stdout, stderr: process.stderr },
};

/** The parsed environment of a command (every problem listed, as the server does). */
export function commandEnv(io: CliIo): Env {
  return parseEnv({ ...io.env });
}

/** One option of a subcommand, as `util.parseArgs` takes it, with what `--help` says about it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The value's name in help (`--user <id>`); string options only. */
  readonly value?: string;
  readonly description: string;
}

/** What a subcommand accepts: unknown options and extra arguments are refused (exit 2). */
export interface CommandSpec {
  readonly usage: string;
  readonly description: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** How many positional arguments it takes at most. */
  readonly maxPositionals: number;
}

export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', description: 'print this help and exit' };

/** `baton <command> --help`: the usage line, what the command does and every option. */
export function helpText(spec: CommandSpec): string {
  const options = Object.entries({ ...spec.options, help: HELP }).map(([name, option]) => {
    const flag = `${option.short === undefined ? '    ' : `-${option.short}, `}--${name}${option.type === 'string' ? ` <${option.value ?? 'value'}>` : ''}`;
    return `  ${flag.padEnd(26)} ${option.description}`;
  });
  return `${spec.usage}\n\n${spec.description}\n\noptions:\n${options.join('\n')}\n`;
}

/**
 * The arguments of a subcommand, parsed by Node's `util.parseArgs` in strict mode: `--flag value`,
 * `--flag=value`, `-f value` and booleans. `help` when `--help`/`-h` is among them (then nothing
 * else is checked); an unknown option, a missing value or an extra argument is `invalid` (exit 2)
 * with the usage line.
 */
export function parseCommandArgs(spec: CommandSpec, args: readonly string[]): 'help' | CommandArgs {
  const before = args.indexOf('--');
  const asked = (before === -1 ? args : args.slice(0, before)).some((arg) => arg === '--help' || arg === '-h');
  if (asked) return 'help';
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    options[name] = option.short === undefined ? { type: option.type } : { type: option.type, short: option.short };
  }
  let parsed: CommandArgs;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new BatonError('invalid', `${message}\n${spec.usage}`);
  }
  if (parsed.positionals.length > spec.maxPositionals) {
    const extra = parsed.positionals.slice(spec.maxPositionals).map((arg) => `"${arg}"`).join(', ');
    throw new BatonError('invalid', `unexpected argument ${extra}\n${spec.usage}`);
  }
  return parsed;
}
