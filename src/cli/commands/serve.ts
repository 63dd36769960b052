import { createBaton } from '../../server.js';
import type { CliIo, CommandArgs, CommandSpec } from '../io.js';
import { commandEnv } from '../io.js';

export const command: CommandSpec = {
  usage: 'usage: baton serve',
  description:
    'Serve the API, the app and the workers until SIGINT or SIGTERM, then shut down cleanly (exit 0).\nSettings come from the environment: HOST, PORT, DATABASE_URL and the rest of the server variables.',
  options: {},
  maxPositionals: 0,
};

/** Serve until SIGINT/SIGTERM; resolves with the exit code once the server has shut down. */
export async function run(_args: CommandArgs, io: CliIo): Promise<number> {
  const env = commandEnv(io);
  const baton = await createBaton({ env, processEnv: io.env });
  let address: string;
  try {
    address = await baton.app.listen({ host: env.HOST, port: env.PORT });
  } catch (error) {
    await baton.close();
    throw error;
  }
  baton.ctx.logger.info({ address, database: baton.ctx.database.dialect }, `Baton is serving on ${address}`);
  return new Promise<number>((resolve) => {
    const shutdown = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      baton.ctx.logger.info({ signal }, 'shutting down');
      baton.close().then(
        () => resolve(0),
        (error: unknown) => {
          baton.ctx.logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}
