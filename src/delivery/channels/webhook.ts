/**
 * The webhook channel: `{type, timestamp, data}` POSTed to a configured URL, signed per the
 * Standard Webhooks specification (https://www.standardwebhooks.com) with its reference
 * library — `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>` of
 * `id.timestamp.body`.
 */
import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { PermanentDeliveryError } from '../outbox-worker.js';
import { postJson } from './http-post.js';

export interface WebhookBody {
  readonly type: string;
  /** ISO instant of the fact (not of the attempt). */
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A short, stable name of a target URL for idempotency keys (the URL itself may hold a token). */
export function webhookUrlHash(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 16);
}

/**
 * The signing key: a `whsec_…` secret is base64 after the prefix (the spec's format); any other
 * string is used as raw bytes, so a secret someone typed still signs rather than failing.
 */
function signerFor(secret: string): Webhook {
  try {
    return secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });
  } catch (error) {
    throw new PermanentDeliveryError(`the webhook secret is not usable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * The three headers. `webhookId` must be the same on every attempt of one message — the spec's
 * idempotency key for receivers — so it is the outbox row's key, never a fresh id; the timestamp
 * is the attempt's (receivers reject stale ones to stop replays).
 */
export function signWebhook(input: { readonly secret: string | undefined; readonly webhookId: string; readonly at: number; readonly body: string }): Record<string, string> {
  const headers: Record<string, string> = {
    'webhook-id': input.webhookId,
    'webhook-timestamp': String(Math.floor(input.at / 1000)),
  };
  // A target configured without a secret gets the id and timestamp but no signature to check.
  if (input.secret !== undefined && input.secret !== '') {
    headers['webhook-signature'] = signerFor(input.secret).sign(input.webhookId, new Date(input.at), input.body);
  }
  return headers;
}

export async function sendWebhook(input: {
  readonly url: string;
  readonly secret: string | undefined;
  readonly webhookId: string;
  readonly body: WebhookBody;
  readonly at: number;
  readonly allowPrivateNetworks: boolean;
}): Promise<void> {
  const text = JSON.stringify(input.body);
  await postJson({
    url: input.url,
    body: text,
    headers: signWebhook({ secret: input.secret, webhookId: input.webhookId, at: input.at, body: text }),
    allowPrivateNetworks: input.allowPrivateNetworks,
  });
}
