import { BatonError } from '../../platform/errors.js';
import { readWorkspaceDocument, workspaceDocumentAsYaml } from '../../services/workspace/read-workspace-document.js';
import type { CliIo, CommandArgs, CommandSpec } from '../io.js';
import { openStandaloneContext } from '../../services/open-standalone-context.js';
import { commandEnv } from '../io.js';

export const command: CommandSpec = {
  usage: 'usage: baton export [--defaults] > baton.yaml',
  description:
    "The workspace of DATABASE_URL's store as baton.yaml on stdout, with the active rules and ${VAR}\nreferences as written (never the secrets). Exit 6 when nothing was ever applied.",
  options: { defaults: { type: 'boolean', description: 'write default values too' } },
  maxPositionals: 0,
};

/**
 * The workspace of DATABASE_URL's store as baton.yaml on stdout, with the active rules and
 * `${VAR}` references as written (never the secrets). `--defaults` writes default values too.
 * Exit 6 (`unavailable`) when nothing was ever applied.
 */
export async function run(args: CommandArgs, io: CliIo): Promise<number> {
  const env = commandEnv(io);
  const ctx = await openStandaloneContext({ env, processEnv: io.env });
  try {
    const current = await readWorkspaceDocument(ctx.database.db);
    if (current === null) throw new BatonError('unavailable', 'the workspace has no configuration yet: apply a baton.yaml');
    io.out(workspaceDocumentAsYaml(current, { includeDefaults: args.values.defaults === true }));
    return 0;
  } finally {
    await ctx.close();
  }
}
