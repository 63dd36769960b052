import { PASSWORD_MAX_LENGTH } from '../../contract/access-api.js';
import { BatonError } from '../../platform/errors.js';
import { openStandaloneContext } from '../../services/open-standalone-context.js';
import { setUserPassword } from '../../services/people/set-user-password.js';
import type { CliIo, CommandArgs, CommandSpec } from '../io.js';
import { commandEnv } from '../io.js';
import { cliActor } from './apply.js';

export const command: CommandSpec = {
  usage: 'usage: baton user password <id>',
  description: [
    "Set a user's password, for the operator who runs the server (every admin locked out, no email).",
    'The password is read from stdin: typed without echo (twice) on a terminal, or the first line of a pipe.',
    'The same rule as the app: at least 10 characters, not a commonly used password. Their sessions end.',
  ].join('\n'),
  options: {},
  maxPositionals: 2,
};
const USAGE = command.usage;
/** A pipe is read up to this many bytes: a password is one short line. */
const MAX_STDIN_BYTES = 4_096;

export async function run(args: CommandArgs, io: CliIo): Promise<number> {
  const [action, userId] = args.positionals;
  if (action !== 'password') throw new BatonError('invalid', USAGE, { details: [{ path: 'command', message: 'only "password" is supported' }] });
  if (userId === undefined) throw new BatonError('invalid', `name the user\n${USAGE}`, { details: [{ path: 'id', message: 'required' }] });
  const stdin = io.stdin;
  if (stdin === undefined) throw new BatonError('invalid', 'no stdin to read the password from');
  let password: string;
  if (stdin.isTTY) {
    password = await readHidden(stdin, io, `New password for ${userId}: `);
    const again = await readHidden(stdin, io, 'Again: ');
    if (again !== password) throw new BatonError('invalid', 'the two passwords differ; nothing was changed');
  } else {
    password = await readFirstLine(stdin);
  }
  const ctx = await openStandaloneContext({ env: commandEnv(io), processEnv: io.env });
  try {
    await setUserPassword(ctx, { userId, password, actor: cliActor(io) });
    io.err(`password set for ${userId}; their sessions have ended\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}

/** The first line of piped stdin (without its line ending), refusing an oversized input. */
async function readFirstLine(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) throw new BatonError('invalid', `the password on stdin is longer than ${PASSWORD_MAX_LENGTH} characters`);
    chunks.push(buffer);
    if (buffer.includes(0x0a)) break;
  }
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '');
}

/** One line typed on the terminal with echo off (raw mode); Ctrl-C cancels. */
function readHidden(stdin: NodeJS.ReadStream, io: CliIo, prompt: string): Promise<string> {
  return new Promise((done, fail) => {
    let value = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.err('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') {
          finish();
          done(value);
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          fail(new BatonError('invalid', 'cancelled; nothing was changed'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (value.length <= PASSWORD_MAX_LENGTH) value += char;
      }
    };
    // Echo off before the prompt shows: a person (or a script) typing right after it must not
    // have the terminal echo the first characters in cooked mode.
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
    io.err(prompt);
  });
}
