/**
 * Notification targets (docs/configuration.md `notifications:`) as a form. They live in the workspace
 * document, so the screen reads it with GET /api/config, changes only this section and writes the
 * whole document back with PUT /api/config. `${VAR}` references are kept as written.
 */
import type { z } from 'zod';
import type { NotificationsConfig } from '../../../../../../src/contract/config.js';
import { cleanTags, type ApiObject } from './forms.js';

type NotificationsItem = z.input<typeof NotificationsConfig>;

export interface WebhookForm {
  id: string;
  url: string;
  secret: string;
  events: string[];
}

export interface NotificationsForm {
  slackWebhookUrl: string;
  slackBotToken: string;
  slackChannel: string;
  emailSmtpUrl: string;
  emailFrom: string;
  allowPrivateNetworks: boolean;
  webhooks: WebhookForm[];
}

/** Event types a webhook commonly subscribes to (any event type is accepted). */
export const COMMON_EVENTS = [
  'handoff.completed',
  'conversation.assigned',
  'sla.breached',
  'conversation.status_changed',
];

export const emptyWebhook = (): WebhookForm => ({ id: '', url: '', secret: '', events: [] });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function notificationsToForm(value: unknown): NotificationsForm {
  const n = (isRecord(value) ? value : {}) as NotificationsItem;
  return {
    slackWebhookUrl: n.slack?.webhookUrl ?? '',
    slackBotToken: n.slack?.botToken ?? '',
    slackChannel: n.slack?.channel ?? '',
    emailSmtpUrl: n.email?.smtpUrl ?? '',
    emailFrom: n.email?.from ?? '',
    allowPrivateNetworks: n.allowPrivateNetworks ?? false,
    webhooks: (n.webhooks ?? []).map((w) => ({
      id: w.id ?? '',
      url: w.url,
      secret: w.secret ?? '',
      events: [...(w.events ?? [])],
    })),
  };
}

/** Only the filled fields: an empty Slack or email block is left out. */
function filled(entries: Record<string, string>): ApiObject | undefined {
  const out: ApiObject = {};
  for (const [key, value] of Object.entries(entries)) if (value.trim() !== '') out[key] = value.trim();
  return Object.keys(out).length === 0 ? undefined : out;
}

export function formToNotifications(f: NotificationsForm): ApiObject {
  const notifications: ApiObject = {};
  const slack = filled({ webhookUrl: f.slackWebhookUrl, botToken: f.slackBotToken, channel: f.slackChannel });
  if (slack !== undefined) notifications.slack = slack;
  const email = filled({ smtpUrl: f.emailSmtpUrl, from: f.emailFrom });
  if (email !== undefined) notifications.email = email;
  notifications.allowPrivateNetworks = f.allowPrivateNetworks;
  notifications.webhooks = f.webhooks.map((w) => ({
    ...(w.id.trim() === '' ? {} : { id: w.id.trim() }),
    url: w.url.trim(),
    ...(w.secret.trim() === '' ? {} : { secret: w.secret.trim() }),
    events: cleanTags(w.events),
  }));
  return notifications;
}

/** The workspace document with its notifications replaced and every other section as it was. */
export function withNotifications(document: Readonly<ApiObject>, form: NotificationsForm): ApiObject {
  return { ...document, notifications: formToNotifications(form) };
}
