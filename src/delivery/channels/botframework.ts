/**
 * One activity to a Bot Framework Connector: `POST {serviceUrl}/v3/conversations/{id}/activities`
 * (Bot Connector REST "Send to conversation"), JSON, through the same guarded POST as webhooks —
 * the `serviceUrl` comes from the caller's activity, so it must not reach private addresses
 * unless the workspace allows it.
 *
 * No Microsoft bearer token is sent: Baton holds no Azure app credentials and this machine cannot
 * reach the Microsoft login service; a bot behind Baton accepts Baton's activities on its own
 * terms (README "Bot Framework"). The activity's fixed `id` is the receiver's de-duplication key.
 */
import { postJson } from './http-post.js';

export async function sendBotframeworkActivity(input: {
  readonly url: string;
  readonly activity: Readonly<Record<string, unknown>>;
  readonly allowPrivateNetworks: boolean;
}): Promise<void> {
  await postJson({
    url: input.url,
    body: JSON.stringify(input.activity),
    headers: { 'user-agent': 'Baton-BotFramework/1' },
    allowPrivateNetworks: input.allowPrivateNetworks,
  });
}
