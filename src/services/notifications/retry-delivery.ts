import type { Delivery } from '../../contract/delivery-api.js';
import type { Principal } from '../auth/principal.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { isDeliveryKind } from '../../store/repositories/deliveries.js';
import { getOutboxItem, retryDead } from '../../store/repositories/outbox.js';
import { actorOf } from '../auth/authenticate.js';
import type { ServiceContext } from '../context.js';
import { presentDelivery } from './list-deliveries.js';

/**
 * `POST /api/deliveries/{id}/retry`: a person sends a failed or dead delivery again, now, with a
 * fresh set of attempts (CW #15920: a webhook that failed once was lost for good). Anything else
 * — pending, being sent, delivered — is a 409: retrying a delivered webhook would send it twice.
 * Audited.
 */
export async function retryDelivery(ctx: ServiceContext, principal: Principal, id: string): Promise<Delivery> {
  const now = ctx.clock.now();
  const retried = await withTransaction(ctx.database, async (trx) => {
    const item = await getOutboxItem(trx, id);
    if (item === null || !isDeliveryKind(item.kind)) throw notFound('delivery', id);
    // The conditional update is the check: a worker settling the row at the same moment wins or loses cleanly.
    if (!(await retryDead(trx, id, now))) {
      throw new BatonError('conflict', `the delivery is ${item.status}; only failed or dead deliveries can be retried`);
    }
    await appendAudit(trx, {
      actor: actorOf(principal),
      action: 'delivery.retried',
      entity: 'delivery',
      entityId: id,
      data: { kind: item.kind, from: item.status, attempts: item.attempts, lastError: item.lastError },
      now,
    });
    return getOutboxItem(trx, id);
  });
  ctx.afterCommit({ kind: 'outbox' });
  if (retried === null) throw notFound('delivery', id);
  return presentDelivery(retried);
}
