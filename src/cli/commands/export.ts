import { exportConfig } from '../../config/export-config.js';
import type { WorkspaceConfig } from '../../contract/config.js';
import { BatonError } from '../../platform/errors.js';
import { readWorkspaceDocument } from '../../services/workspace/read-workspace-document.js';
import type { CliIo } from '../io.js';
import { commandEnv, openCommandDatabase, parseArgs } from '../io.js';

/**
 * The workspace of DATABASE_URL's store as baton.yaml on stdout, with the active rules and
 * `${VAR}` references as written (never the secrets). `--defaults` writes default values too.
 * Exit 6 (`unavailable`) when nothing was ever applied.
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { flags } = parseArgs(args, ['defaults']);
  const env = commandEnv(io);
  const database = await openCommandDatabase(env);
  try {
    const current = await readWorkspaceDocument(database.db);
    if (current === null) throw new BatonError('unavailable', 'the workspace has no configuration yet: apply a baton.yaml');
    // Stored documents were validated when applied (`${VAR}` kept), so they export as they are.
    io.out(exportConfig(current.document as WorkspaceConfig, { includeDefaults: flags.get('defaults') === true }));
    return 0;
  } finally {
    await database.close();
  }
}
