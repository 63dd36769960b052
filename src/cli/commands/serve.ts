import { createBaton } from '../../server.js';
import type { CliIo } from '../io.js';
import { commandEnv } from '../io.js';

/** Serve until SIGINT/SIGTERM; returns -1 so main leaves the process running. */
export async function run(_args: string[], io: CliIo): Promise<number> {
  const env = commandEnv(io);
  const baton = await createBaton({ env, processEnv: io.env });
  const address = await baton.app.listen({ host: env.HOST, port: env.PORT });
  baton.ctx.logger.info({ address, database: baton.ctx.database.dialect }, `Baton is serving on ${address}`);
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    baton.ctx.logger.info({ signal }, 'shutting down');
    baton.close().then(
      () => process.exit(0),
      (error: unknown) => {
        baton.ctx.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return -1;
}
