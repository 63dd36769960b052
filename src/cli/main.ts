/**
 * The `baton` command. Each subcommand is a module in ./commands with its `command` (options, for
 * the parser and `--help`) and `run(args, io) → exit code`; a long-running command (serve) resolves
 * when it has shut down. Errors map to exit codes once (platform/errors.ts `exitCodeByCode`).
 */
import { pathToFileURL } from 'node:url';
import { BatonError, exitCodeByCode } from '../platform/errors.js';
import type { CliIo, CommandArgs, CommandSpec } from './io.js';
import { helpText, parseCommandArgs, processIo } from './io.js';

interface CommandModule {
  readonly command: CommandSpec;
  run(args: CommandArgs, io: CliIo): Promise<number>;
}
type Command = { readonly summary: string; readonly load: () => Promise<CommandModule> };

const COMMANDS: Readonly<Record<string, Command>> = {
  serve: { summary: 'serve the API, the app and the workers (HOST, PORT, DATABASE_URL)', load: () => import('./commands/serve.js') },
  validate: { summary: 'validate -f baton.yaml: every problem with its path; exit 2 when invalid', load: () => import('./commands/validate.js') },
  apply: { summary: 'apply -f baton.yaml: validate, then apply in one transaction', load: () => import('./commands/apply.js') },
  export: { summary: 'export: the workspace as baton.yaml on stdout', load: () => import('./commands/export.js') },
  simulate: { summary: 'simulate <scenario.yaml | folder> [--json]: the routing trace; exit 1 when `expect` differs', load: () => import('./commands/simulate.js') },
  replay: { summary: 'replay --ruleset draft --from d --to d [--json] [--fail-on-change]: where past routing would change', load: () => import('./commands/replay.js') },
  user: { summary: 'user password <id>: set a user\'s password, read from stdin (no echo on a terminal)', load: () => import('./commands/user.js') },
  token: { summary: 'token create --user <id> [--name n] [--scopes read,write]: an API token acting as a user', load: () => import('./commands/token.js') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  baton ${name.padEnd(9)} ${c.summary}`);
  return `usage: baton <command> [options]\n\n${lines.join('\n')}\n\n\`baton <command> --help\` lists a command's options.\nThe CLI works on the database named by DATABASE_URL (default sqlite:./data/baton.db).\n`;
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`baton: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    const module = await command.load();
    const parsed = parseCommandArgs(module.command, args);
    if (parsed === 'help') {
      io.out(helpText(module.command));
      return 0;
    }
    return await module.run(parsed, io);
  } catch (error) {
    if (error instanceof BatonError) {
      io.err(`baton ${name}: ${error.message}\n`);
      for (const detail of error.details ?? []) io.err(`  ${detail.path}: ${detail.message}\n`);
      return exitCodeByCode[error.code];
    }
    io.err(`baton ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `serve` resolves only once it has shut down (SIGINT/SIGTERM), so every command ends here.
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
