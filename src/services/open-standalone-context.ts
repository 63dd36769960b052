import pino from 'pino';
import type { Env } from '../platform/env.js';
import { createId, systemClock } from '../platform/runtime.js';
import { openDatabase } from '../store/database.js';
import type { ServiceContext } from './context.js';
import { createWorkspaceCache } from './workspace/workspace-cache.js';

/** A service context that owns its database: close it when the process is done. */
export interface StandaloneContext extends ServiceContext {
  close(): Promise<void>;
}

/**
 * A service context for a one-shot process (the `baton` CLI) on the same store as the server:
 * the database of DATABASE_URL, migrated. No workers run here: after-commit work is left to the
 * server, whose workspace cache sees the new revision on its next read and whose periodic sweep
 * assigns whatever became assignable. Nothing is logged: a command's output is its answer.
 */
export async function openStandaloneContext(options: {
  readonly env: Env;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
}): Promise<StandaloneContext> {
  const database = await openDatabase(options.env.DATABASE_URL, { migrate: true });
  return {
    database,
    clock: systemClock,
    createId,
    env: options.env,
    processEnv: options.processEnv,
    workspace: createWorkspaceCache({ executor: database.db, processEnv: options.processEnv }),
    logger: pino({ level: 'silent' }),
    afterCommit: () => undefined,
    close: () => database.close(),
  };
}
