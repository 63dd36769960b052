import { CreateTokenInput } from '../../contract/api.js';
import { flattenIssues } from '../../contract/issues.js';
import { BatonError } from '../../platform/errors.js';
import { createUserToken } from '../../services/auth/authenticate.js';
import { openStandaloneContext } from '../../services/open-standalone-context.js';
import type { CliIo, CommandArgs, CommandSpec } from '../io.js';
import { commandEnv } from '../io.js';
import { cliActor } from './apply.js';

export const command: CommandSpec = {
  usage: 'usage: baton token create --user <id> [--name n] [--scopes read,write] [--channels id,id]',
  description: 'Create an API token acting as a workspace user, for automation. The token is printed once, on stdout alone;\nonly its hash is stored.',
  options: {
    user: { type: 'string', value: 'id', description: 'the user the token acts as (required)' },
    name: { type: 'string', value: 'n', description: 'a name to recognise the token by (default "cli")' },
    scopes: { type: 'string', value: 'list', description: 'comma-separated scopes: read, write, admin, bot (default read,write)' },
    channels: { type: 'string', value: 'list', description: 'with --scopes bot (required then): the channels whose bot it is' },
  },
  maxPositionals: 1,
};
const USAGE = command.usage;

/**
 * An API token acting as a workspace user (docs/api.md "Acting as a user"), for automation. The
 * token is printed once, on stdout alone so scripts can capture it; only its hash is stored.
 */
export async function run(args: CommandArgs, io: CliIo): Promise<number> {
  if (args.positionals[0] !== 'create') throw new BatonError('invalid', USAGE, { details: [{ path: 'command', message: 'only "create" is supported' }] });
  const user = args.values.user;
  if (typeof user !== 'string') throw new BatonError('invalid', `name the user\n${USAGE}`, { details: [{ path: '--user', message: 'required' }] });
  const scopes = args.values.scopes;
  const channels = args.values.channels;
  const name = args.values.name;
  const list = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const input = CreateTokenInput.safeParse({
    name: typeof name === 'string' ? name : 'cli',
    ...(typeof scopes === 'string' ? { scopes: list(scopes) } : {}),
    ...(typeof channels === 'string' ? { channels: list(channels) } : {}),
  });
  if (!input.success) {
    const details = flattenIssues(input.error.issues).map((d) => ({ ...d, path: `--${d.path.replace(/\[\d+\]$/, '')}` }));
    throw new BatonError('invalid', `invalid options\n${USAGE}`, { details });
  }
  const env = commandEnv(io);
  const ctx = await openStandaloneContext({ env, processEnv: io.env });
  try {
    const created = await createUserToken(ctx, user, input.data, cliActor(io));
    io.err(`token "${created.name}" for ${created.userId} (scopes ${created.scopes.join(', ')}); shown once:\n`);
    io.out(`${created.token}\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}
