import type { Logger } from 'pino';
import type { Database } from '../store/database.js';
import type { Env } from '../platform/env.js';
import type { Clock, CreateId } from '../platform/runtime.js';
import type { WorkspaceCache } from './workspace/workspace-cache.js';

/**
 * What every use case is handed: the database, the clock, id generation, the environment and the
 * cache of the compiled workspace. Nothing here is a global; tests build their own.
 */
export interface ServiceContext {
  readonly database: Database;
  readonly clock: Clock;
  readonly createId: CreateId;
  readonly env: Env;
  /** The raw process environment: what `${VAR}` in the workspace document reads (docs/configuration.md). */
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  readonly workspace: WorkspaceCache;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** Wake the after-commit workers (outbox, waiting-conversation assignment). Never throws. */
  readonly afterCommit: (work: AfterCommitWork) => void;
}

/** `signed_out`: sessions or tokens were ended; open sockets check their credentials now. */
export type AfterCommitWork = { kind: 'outbox' } | { kind: 'assign_waiting' } | { kind: 'signed_out' };
