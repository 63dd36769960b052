/**
 * The Slack channel: a Block Kit message with a link to the conversation, POSTed
 * to the workspace's incoming webhook (https://api.slack.com/messaging/webhooks) or, with a bot
 * token, to chat.postMessage in the configured channel. The target goes through the
 * private-address guard like any webhook.
 */
import { PermanentDeliveryError } from '../outbox-worker.js';
import { postJson } from './http-post.js';

/**
 * Slack's mrkdwn treats `&`, `<` and `>` as control characters (`<url|label>` links, `<!here>`
 * mentions): customer text escapes them (https://api.slack.com/reference/surfaces/formatting#escaping),
 * so a contact named `<!channel>` pings nobody.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack refuses a header over 150 characters and a field over 2000. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface SlackNotification {
  readonly title: string;
  readonly body: string;
  readonly link: string;
  /** Label → value (contact, trigger, rule, queue …), shown as the section's fields. */
  readonly fields: readonly (readonly [string, string])[];
}

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

export function buildSlackMessage(notification: SlackNotification): SlackMessage {
  const blocks: Record<string, unknown>[] = [
    // plain_text is never interpreted: no escaping, only the length limit.
    { type: 'header', text: { type: 'plain_text', text: clip(notification.title, 150), emoji: false } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(escapeSlack(notification.body), 3000) } },
  ];
  if (notification.fields.length > 0) {
    blocks.push({
      type: 'section',
      // At most 10 fields per section (Block Kit reference).
      fields: notification.fields.slice(0, 10).map(([label, value]) => ({ type: 'mrkdwn', text: clip(`*${escapeSlack(label)}*\n${escapeSlack(value)}`, 2000) })),
    });
  }
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', action_id: 'open_conversation', text: { type: 'plain_text', text: 'Open conversation' }, url: notification.link, style: 'primary' }],
  });
  // `text` is the notification's fallback (push notifications, screen readers).
  return { text: clip(escapeSlack(`${notification.title} — ${notification.body}`), 3000), blocks };
}

/** Where a Slack message goes: an incoming webhook, or a bot token and a channel (chat.postMessage). */
export type SlackTarget =
  | { readonly kind: 'webhook'; readonly webhookUrl: string }
  | { readonly kind: 'bot'; readonly botToken: string; readonly channel: string };

const POST_MESSAGE_URL = 'https://slack.com/api/chat.postMessage';

/**
 * Web API errors a retry can fix; any other `ok: false` (invalid_auth, channel_not_found,
 * not_in_channel, …) needs a person (https://api.slack.com/methods/chat.postMessage#errors).
 */
const RETRYABLE_API_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * The Web API answers HTTP 200 with `{ok: false, error}` for most failures: turn that into a
 * retry or a dead letter like an HTTP status would be.
 */
export function checkPostMessageAnswer(body: string): void {
  let answer: { ok?: unknown; error?: unknown };
  try {
    answer = JSON.parse(body) as { ok?: unknown; error?: unknown };
  } catch {
    throw new Error(`Slack chat.postMessage answered something that is not JSON: ${body.slice(0, 200)}`);
  }
  if (answer.ok === true) return;
  const error = typeof answer.error === 'string' ? answer.error : 'unknown_error';
  const message = `Slack chat.postMessage: ${error}`;
  if (RETRYABLE_API_ERRORS.has(error)) throw new Error(message);
  throw new PermanentDeliveryError(message);
}

export async function sendSlack(input: { readonly target: SlackTarget; readonly message: SlackMessage; readonly allowPrivateNetworks: boolean }): Promise<void> {
  const { target } = input;
  if (target.kind === 'webhook') {
    await postJson({ url: target.webhookUrl, body: JSON.stringify(input.message), allowPrivateNetworks: input.allowPrivateNetworks });
    return;
  }
  const answer = await postJson({
    url: POST_MESSAGE_URL,
    body: JSON.stringify({ channel: target.channel, ...input.message }),
    headers: { authorization: `Bearer ${target.botToken}`, 'content-type': 'application/json; charset=utf-8' },
    allowPrivateNetworks: false,
  });
  checkPostMessageAnswer(answer.body);
}
