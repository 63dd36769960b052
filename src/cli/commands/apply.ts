import { BatonError } from '../../platform/errors.js';
import type { CliIo } from '../io.js';

export async function run(_args: string[], _io: CliIo): Promise<number> {
  throw new BatonError('unavailable', 'baton apply is not built yet');
}
