/**
 * Notification and webhook jobs. A handoff enqueues `notify.<channel>` rows in its
 * own transaction (services/handoff/decide-and-record-handoff.ts); the webhooks subscriber enqueues `deliver.webhook`
 * rows for conversation events. Here each is delivered after commit, so a failing channel never
 * blocks or loses a handoff — it only leaves a failed or dead row in the deliveries list.
 *
 * - `notify.in_app`: the notification centre, minus the recipients who switched it off.
 * - `notify.email`: the mail to one person (services/notifications/enqueue-notification.ts writes a row per
 *   recipient, so one refusing mailbox dead-letters only its own row), if they want it, over the
 *   workspace's SMTP server.
 * - `notify.slack`: one Block Kit message to the workspace's Slack, when any recipient wants it.
 * - `notify.webhook`: fans out into one `deliver.webhook` row per subscribed target, so each
 *   target retries, dead-letters and is retried by a person on its own — a receiver that is down
 *   never makes another receive the same message twice.
 * - `deliver.webhook`: one signed POST to one target.
 */
import { z } from 'zod';
import type { WorkspaceConfig } from '../contract/config.js';
import type { ServiceContext } from '../services/context.js';
import { recipientsWanting } from '../services/people/notification-preferences.js';
import { iso } from '../services/present/present-conversation.js';
import type { Executor } from '../store/database.js';
import { getContact } from '../store/repositories/contacts.js';
import { getConversation } from '../store/repositories/conversations.js';
import { enqueue, type RetryPolicy } from '../store/repositories/outbox.js';
import { messageIdFor, renderNotificationEmail, sendEmail } from './channels/email.js';
import { buildSlackMessage, sendSlack, type SlackTarget } from './channels/slack.js';
import { sendWebhook, webhookUrlHash } from './channels/webhook.js';
import {
  defineJob,
  notifyInApp,
  CancelledDelivery,
  PermanentDeliveryError,
  type ExternalJob,
  type JobDefinition,
  type TransactionalJob,
} from './outbox-worker.js';
import { privateNetworksAllowed } from './private-networks.js';
import { NotificationPayload } from '../services/notifications/enqueue-notification.js';

/**
 * Notifications: 8 attempts, 2 s doubling (2 s … 256 s, about 8 minutes in all) — a page about a
 * waiting customer is worth little hours later. Half of each delay is jitter, so rows that failed
 * together (the SMTP server restarting) do not come back together.
 */
export const NOTIFY_RETRY: RetryPolicy = { attempts: 8, backoffMs: 2_000, maxBackoffMs: 3_600_000, jitter: 0.5 };

/**
 * Webhooks: 12 attempts, 2 s doubling capped at 1 h (about 70 minutes of trying in all) — an
 * integration that is deployed or restarted must not lose events; after that a person retries.
 */
export const WEBHOOK_RETRY: RetryPolicy = { attempts: 12, backoffMs: 2_000, maxBackoffMs: 3_600_000, jitter: 0.5 };

/** What `deliver.webhook` sends: the target and the body, fixed at enqueue so every attempt signs the same bytes. */
export const WebhookDeliveryPayload = z.object({
  url: z.string().min(1),
  body: z.object({ type: z.string().min(1), timestamp: z.string(), data: z.record(z.string(), z.unknown()) }),
});
export type WebhookDeliveryPayload = z.infer<typeof WebhookDeliveryPayload>;

/** The agent app's address of a conversation (`BATON_PUBLIC_URL`, default http://localhost:3000). */
export function conversationLink(ctx: ServiceContext, conversationId: string): string {
  const base = (ctx.env.BATON_PUBLIC_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  return `${base}/conversations/${encodeURIComponent(conversationId)}`;
}

function mailDomain(ctx: ServiceContext): string {
  try {
    return new URL(ctx.env.BATON_PUBLIC_URL ?? 'http://localhost:3000').hostname || 'baton.invalid';
  } catch {
    return 'baton.invalid';
  }
}

/** A webhook target that subscribes to `type`. */
export function webhooksFor(config: WorkspaceConfig, type: string): WorkspaceConfig['notifications']['webhooks'] {
  return config.notifications.webhooks.filter((webhook) => webhook.events.includes(type));
}

/** Enqueue one `deliver.webhook` per target subscribed to the body's type (idempotent per key). */
export async function enqueueWebhookDeliveries(
  trx: Executor,
  config: WorkspaceConfig,
  input: { readonly body: WebhookDeliveryPayload['body']; readonly keyOf: (urlHash: string) => string; readonly now: number },
): Promise<number> {
  let enqueued = 0;
  for (const webhook of webhooksFor(config, input.body.type)) {
    const payload: WebhookDeliveryPayload = { url: webhook.url, body: input.body };
    const result = await enqueue(trx, { kind: 'deliver.webhook', idempotencyKey: input.keyOf(webhookUrlHash(webhook.url)), payload, now: input.now });
    if (result.inserted) enqueued += 1;
  }
  return enqueued;
}

/** Readable facts of a handoff notification: contact, subject, trigger, rule, queue, owner. */
async function describeHandoff(ctx: ServiceContext, config: WorkspaceConfig, payload: NotificationPayload): Promise<[string, string][]> {
  const facts: [string, string][] = [];
  const conversation = payload.conversationId === null ? null : await getConversation(ctx.database.db, payload.conversationId);
  const contact = conversation === null ? null : await getContact(ctx.database.db, conversation.contactId);
  if (contact !== null) {
    const who = [contact.name, contact.email === null ? null : `<${contact.email}>`].filter((x) => x !== null).join(' ');
    facts.push(['Contact', who === '' ? 'Unknown contact' : who]);
  }
  if (conversation?.subject) facts.push(['Subject', conversation.subject]);
  const data = payload.data;
  if (typeof data.trigger === 'string') facts.push(['Trigger', data.trigger.replace(/_/g, ' ')]);
  if (typeof data.rule === 'string') facts.push(['Rule', data.rule]);
  if (typeof data.queue === 'string') facts.push(['Queue', config.queues.find((q) => q.id === data.queue)?.name ?? data.queue]);
  else if (typeof data.team === 'string') facts.push(['Team', config.teams.find((t) => t.id === data.team)?.name ?? data.team]);
  if (typeof data.owner === 'string') facts.push(['Owner', config.users.find((u) => u.id === data.owner)?.name ?? data.owner]);
  return facts;
}

/** `notify.in_app` as before, for the recipients who have not switched it off for the type. */
export function notifyInAppJob(): TransactionalJob<typeof NotificationPayload> {
  return {
    ...notifyInApp,
    async run(trx, payload, item, now) {
      const recipients = await recipientsWanting(trx, payload.recipients, payload.type, 'in_app');
      if (recipients.length === 0) return;
      await notifyInApp.run(trx, { ...payload, recipients }, item, now);
    },
  };
}

export function notifyEmailJob(ctx: ServiceContext): ExternalJob<typeof NotificationPayload> {
  return {
    kind: 'notify.email',
    mode: 'external',
    payload: NotificationPayload,
    retry: NOTIFY_RETRY,
    // An invitation's link is a password-setting secret: kept only until its mail is sent (a
    // failed or dead row keeps it, so a retry can still send it).
    redactWhenDone: (payload) => (payload.data.linkIsSecret === true ? { ...payload, data: { ...payload.data, link: '(sent, not kept)' } } : undefined),
    async send(payload, item) {
      const recipients = await recipientsWanting(ctx.database.db, payload.recipients, payload.type, 'email');
      if (recipients.length === 0) return;
      const { config } = await ctx.workspace.current();
      const smtpUrl = config.notifications.email?.smtpUrl;
      if (smtpUrl === undefined || smtpUrl === '') throw new PermanentDeliveryError('email is not configured: set notifications.email.smtpUrl');
      const from = config.notifications.email?.from ?? `Baton <baton@${mailDomain(ctx)}>`;
      const facts = await describeHandoff(ctx, config, payload);
      // A notification about no conversation may name its own link (an invitation's set-password page).
      const ownLink = typeof payload.data.link === 'string' ? payload.data.link : undefined;
      const linkLabel = typeof payload.data.linkLabel === 'string' ? payload.data.linkLabel : undefined;
      const link = ownLink ?? (payload.conversationId === null ? (ctx.env.BATON_PUBLIC_URL ?? 'http://localhost:3000') : conversationLink(ctx, payload.conversationId));
      // One mail per person, each with its own stable Message-ID: a retry after a partial failure
      // re-sends the earlier ones with the ids they had, which receivers de-duplicate.
      for (const userId of recipients) {
        const user = config.users.find((u) => u.id === userId);
        if (user === undefined) continue; // removed from the workspace since the handoff
        const rendered = renderNotificationEmail({ to: user.email, recipientName: user.name, title: payload.title, body: payload.body, link, facts, ...(linkLabel === undefined ? {} : { linkLabel }) });
        await sendEmail({
          smtpUrl,
          from,
          to: user.email,
          messageId: messageIdFor(item.idempotencyKey, userId, mailDomain(ctx)),
          rendered,
          headers: { 'X-Baton-Notification': payload.type },
        });
      }
    },
  };
}

/** The incoming webhook when there is one, else the bot token and channel. */
function slackTargetOf(config: WorkspaceConfig): SlackTarget {
  const slack = config.notifications.slack;
  if (slack?.webhookUrl !== undefined && slack.webhookUrl !== '') return { kind: 'webhook', webhookUrl: slack.webhookUrl };
  if (slack?.botToken !== undefined && slack.botToken !== '' && slack.channel !== undefined && slack.channel !== '') {
    return { kind: 'bot', botToken: slack.botToken, channel: slack.channel };
  }
  throw new PermanentDeliveryError('Slack is not configured: set notifications.slack.webhookUrl, or botToken and channel');
}

export function notifySlackJob(ctx: ServiceContext): ExternalJob<typeof NotificationPayload> {
  return {
    kind: 'notify.slack',
    mode: 'external',
    payload: NotificationPayload,
    retry: NOTIFY_RETRY,
    async send(payload, item) {
      // The message goes to a channel, not to a person: send it when anyone it is for wants it.
      const recipients = await recipientsWanting(ctx.database.db, payload.recipients, payload.type, 'slack');
      if (recipients.length === 0) return;
      const { config } = await ctx.workspace.current();
      const target = slackTargetOf(config);
      const facts = await describeHandoff(ctx, config, payload);
      const names = recipients.map((id) => config.users.find((u) => u.id === id)?.name ?? id);
      const link = payload.conversationId === null ? (ctx.env.BATON_PUBLIC_URL ?? 'http://localhost:3000') : conversationLink(ctx, payload.conversationId);
      const message = buildSlackMessage({ title: payload.title, body: payload.body, link, fields: [...facts, ['For', names.join(', ')]] });
      await sendSlack({ target, message, allowPrivateNetworks: await privateNetworksAllowed(ctx, item, config.notifications.allowPrivateNetworks) });
    },
  };
}

/** `notify.webhook`: one `deliver.webhook` row per target subscribed to the notification's type. */
export function notifyWebhookJob(ctx: ServiceContext): TransactionalJob<typeof NotificationPayload> {
  return {
    kind: 'notify.webhook',
    payload: NotificationPayload,
    retry: NOTIFY_RETRY,
    async run(trx, payload, item, now) {
      const { config } = await ctx.workspace.current(trx);
      await enqueueWebhookDeliveries(trx, config, {
        body: {
          type: payload.type,
          timestamp: iso(item.createdAt),
          data: { conversationId: payload.conversationId, recipients: payload.recipients, title: payload.title, body: payload.body, ...payload.data },
        },
        keyOf: (urlHash) => `${urlHash}:${item.idempotencyKey}`,
        now,
      });
    },
  };
}

export function deliverWebhookJob(ctx: ServiceContext): ExternalJob<typeof WebhookDeliveryPayload> {
  return {
    kind: 'deliver.webhook',
    mode: 'external',
    payload: WebhookDeliveryPayload,
    retry: WEBHOOK_RETRY,
    async send(payload, item, now) {
      const { config } = await ctx.workspace.current();
      const target = config.notifications.webhooks.find((w) => w.url === payload.url);
      // Removed from baton.yaml since: nothing to deliver to any more (the secret went with it).
      if (target === undefined) {
        ctx.logger.info({ delivery: item.id }, 'webhook target no longer configured; delivery cancelled');
        throw new CancelledDelivery('cancelled: this webhook target is no longer in the workspace');
      }
      await sendWebhook({
        url: target.url,
        secret: target.secret,
        // Stable across attempts and manual retries: the receiver's de-duplication key.
        webhookId: item.idempotencyKey,
        body: payload.body,
        at: now,
        allowPrivateNetworks: await privateNetworksAllowed(ctx, item, config.notifications.allowPrivateNetworks, Date.parse(payload.body.timestamp)),
      });
    },
  };
}

/** Every notification and webhook job, for delivery/jobs.ts. */
export function notificationJobs(ctx: ServiceContext): JobDefinition<z.ZodType>[] {
  return [defineJob(notifyInAppJob()), defineJob(notifyEmailJob(ctx)), defineJob(notifySlackJob(ctx)), defineJob(notifyWebhookJob(ctx)), defineJob(deliverWebhookJob(ctx))];
}
