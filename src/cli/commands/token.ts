import { CreateTokenInput } from '../../contract/api.js';
import { flattenIssues } from '../../contract/issues.js';
import { BatonError } from '../../platform/errors.js';
import { createUserToken } from '../../services/auth/authenticate.js';
import { openStandaloneContext } from '../../services/open-standalone-context.js';
import type { CliIo } from '../io.js';
import { commandEnv, parseArgs } from '../io.js';
import { cliActor } from './apply.js';

const USAGE = 'usage: baton token create --user <id> [--name n] [--scopes read,write]';

/**
 * An API token acting as a workspace user (API.md "Acting as a user"), for automation. The
 * token is printed once, on stdout alone so scripts can capture it; only its hash is stored.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { flags, positional } = parseArgs(args);
  if (positional[0] !== 'create') throw new BatonError('invalid', USAGE, { details: [{ path: 'command', message: 'only "create" is supported' }] });
  const user = flags.get('user');
  if (typeof user !== 'string') throw new BatonError('invalid', `name the user\n${USAGE}`, { details: [{ path: '--user', message: 'required' }] });
  const scopes = flags.get('scopes');
  const name = flags.get('name');
  const input = CreateTokenInput.safeParse({
    name: typeof name === 'string' ? name : 'cli',
    ...(typeof scopes === 'string' ? { scopes: scopes.split(',').map((s) => s.trim()).filter((s) => s !== '') } : {}),
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
