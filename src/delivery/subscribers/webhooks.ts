/**
 * Outbound webhooks for conversation events (docs/configuration.md `notifications.webhooks`): every event
 * whose type a target subscribes to (`handoff.completed`, `conversation.assigned`, …) becomes a
 * `deliver.webhook` row, in the same transaction as the publish job's "done" — so an
 * event is enqueued for each target exactly once, however often the job runs (PEERS: CW #15920
 * sent account webhooks once, without retry; here every one is a durable, retried row).
 */
import type { ServiceContext } from '../../services/context.js';
import type { LoadedWorkspace } from '../../services/workspace/workspace-cache.js';
import type { Executor } from '../../store/database.js';
import { withoutDecisionInput } from '../../services/present/decision-input.js';
import { iso } from '../../services/present/present-conversation.js';
import { enqueueWebhookDeliveries, webhooksFor } from '../notification-jobs.js';
import type { Subscriber } from './subscriber.js';

export function webhookSubscriber(ctx: ServiceContext): Subscriber {
  /**
   * The workspace read once per job transaction: a `conversation.published` job hands this
   * subscriber all the events of a handoff back to back, and each read is a query. Matching an
   * event against the configuration as of its job's start rather than a moment later is the same
   * race as before (a config apply can always land just before or after the job).
   */
  const configs = new WeakMap<Executor, LoadedWorkspace['config']>();
  async function configIn(trx: Executor): Promise<LoadedWorkspace['config']> {
    let config = configs.get(trx);
    if (config === undefined) {
      config = (await ctx.workspace.current(trx)).config;
      configs.set(trx, config);
    }
    return config;
  }

  return {
    name: 'webhooks',
    async onEvent(trx, event, now) {
      const config = await configIn(trx);
      if (webhooksFor(config, event.type).length === 0) return;
      await enqueueWebhookDeliveries(trx, config, {
        body: {
          type: event.type,
          timestamp: iso(event.createdAt),
          data: {
            ...withoutDecisionInput(event.type, event.data),
            conversationId: event.conversationId,
            seq: event.seq,
            actor: event.actor,
            // As they were when the event happened (CW #14872), not as they are at delivery.
            owner: event.ownerId,
            team: event.teamId,
            queue: event.queueId,
          },
        },
        keyOf: (urlHash) => `${urlHash}:${event.conversationId}:event:${event.seq}`,
        now,
      });
    },
  };
}
