import pino from 'pino';
import type { Env } from '../platform/env.js';
import { createId, systemClock, type Clock } from '../platform/runtime.js';
import type { Database } from '../store/database.js';
import type { ServiceContext } from './context.js';
import { createWorkspaceCache } from './workspace/workspace-cache.js';

/**
 * A service context for a one-shot process (the `baton` CLI) on the same store as the server.
 * No workers run here: after-commit work is left to the server, whose workspace cache sees the
 * new revision on its next read and whose periodic sweep assigns whatever became assignable.
 */
export function createStandaloneContext(options: {
  readonly database: Database;
  readonly env: Env;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
}): ServiceContext {
  return {
    database: options.database,
    clock: options.clock ?? systemClock,
    createId,
    env: options.env,
    processEnv: options.processEnv,
    workspace: createWorkspaceCache({ executor: options.database.db, processEnv: options.processEnv }),
    logger: pino({ level: 'silent' }),
    afterCommit: () => undefined,
  };
}
