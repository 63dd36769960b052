/**
 * `deliver.botframework`: one activity (`handoff.status`, an agent's `message`) to a bot's
 * Connector, enqueued by the fact it reports (services/bots/botframework-activities.ts). External:
 * sent outside any transaction, at least once, with the activity — id included — fixed in the
 * row, so a retry is the same activity and the bot ignores the second copy.
 */
import { z } from 'zod';
import { BOTFRAMEWORK_DELIVERY } from '../services/bots/botframework-activities.js';
import type { ServiceContext } from '../services/context.js';
import { sendBotframeworkActivity } from './channels/botframework.js';
import type { ExternalJob } from './outbox-worker.js';
import type { RetryPolicy } from '../store/repositories/outbox.js';

/**
 * As webhooks: 12 attempts, 2 s doubling capped at 1 h (about 70 minutes in all) — a bot being
 * redeployed must still hear `completed`; after that it is in the dead-letter list for a person.
 */
export const BOTFRAMEWORK_RETRY: RetryPolicy = { attempts: 12, backoffMs: 2_000, maxBackoffMs: 3_600_000, jitter: 0.5 };

export const BotframeworkDeliveryPayload = z.object({
  url: z.string().min(1),
  conversationId: z.string().nullable(),
  type: z.string(),
  activity: z.record(z.string(), z.unknown()),
});

export function deliverBotframeworkJob(ctx: ServiceContext): ExternalJob<typeof BotframeworkDeliveryPayload> {
  return {
    kind: BOTFRAMEWORK_DELIVERY,
    mode: 'external',
    payload: BotframeworkDeliveryPayload,
    retry: BOTFRAMEWORK_RETRY,
    async send(payload) {
      const { config } = await ctx.workspace.current();
      await sendBotframeworkActivity({ url: payload.url, activity: payload.activity, allowPrivateNetworks: config.notifications.allowPrivateNetworks });
    },
  };
}
