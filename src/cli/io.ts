import { parseEnv, type Env } from '../platform/env.js';

/** Where a command writes and what it reads from its surroundings; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
};

/** The parsed environment of a command (every problem listed, as the server does). */
export function commandEnv(io: CliIo): Env {
  return parseEnv({ ...io.env });
}

/** `--flag value`, `--flag=value` and boolean `--flag`; the rest are positional. */
export function parseArgs(args: readonly string[], booleans: readonly string[] = []): { flags: Map<string, string | true>; positional: string[] } {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('-') && arg !== '-') {
      const [rawName, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2);
      const name = rawName ?? '';
      if (inline !== undefined) flags.set(name, inline);
      else if (booleans.includes(name)) flags.set(name, true);
      else {
        const next = args[i + 1];
        if (next === undefined || (next.startsWith('-') && next !== '-')) flags.set(name, true);
        else {
          flags.set(name, next);
          i++;
        }
      }
    } else positional.push(arg);
  }
  return { flags, positional };
}
