import { BatonError } from '../../platform/errors.js';
import { readWorkspaceDocument, workspaceDocumentAsYaml } from '../../services/workspace/read-workspace-document.js';
import type { CliIo } from '../io.js';
import { openStandaloneContext } from '../../services/open-standalone-context.js';
import { commandEnv, parseArgs } from '../io.js';

/**
 * The workspace of DATABASE_URL's store as baton.yaml on stdout, with the active rules and
 * `${VAR}` references as written (never the secrets). `--defaults` writes default values too.
 * Exit 6 (`unavailable`) when nothing was ever applied.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { flags } = parseArgs(args, ['defaults']);
  const env = commandEnv(io);
  const ctx = await openStandaloneContext({ env, processEnv: io.env });
  try {
    const current = await readWorkspaceDocument(ctx.database.db);
    if (current === null) throw new BatonError('unavailable', 'the workspace has no configuration yet: apply a baton.yaml');
    io.out(workspaceDocumentAsYaml(current, { includeDefaults: flags.get('defaults') === true }));
    return 0;
  } finally {
    await ctx.close();
  }
}
