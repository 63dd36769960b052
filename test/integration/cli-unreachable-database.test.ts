import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openDatabase } from '../../src/store/database.js';

/** Nothing listens on port 1: the connection is refused at once, offline. */
const NOWHERE = 'postgres://nobody@127.0.0.1:1/nothing';

describe('a database that cannot be reached', () => {
  it('says why, not that an "unknown" migration failed', async () => {
    await expect(openDatabase(NOWHERE, { migrate: true })).rejects.toThrow(/^database migrations could not run: connect ECONNREFUSED 127\.0\.0\.1:1$/);
  });

  it('the CLI prints the reason on its first line and exits 1', async () => {
    let err = '';
    const io: CliIo = {
      out: () => undefined,
      err: (text) => {
        err += text;
      },
      env: { DATABASE_URL: NOWHERE, LOG_LEVEL: 'silent', BATON_DEMO: '0' },
      cwd: process.cwd(),
    };
    const code = await main(['export'], io);
    expect(code).toBe(1);
    expect(err.split('\n')[0]).toBe('baton export: Error: database migrations could not run: connect ECONNREFUSED 127.0.0.1:1');
  });
});
