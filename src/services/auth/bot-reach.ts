import { BatonError } from '../../platform/errors.js';
import { getConversation } from '../../store/repositories/conversations.js';
import type { ServiceContext } from '../context.js';
import type { Principal } from './principal.js';
import { isBotPrincipal } from './principal.js';

/**
 * A bot token reaches the conversations of the channels it names, and nothing else: another
 * channel's conversation is "not found" to it, as if it did not exist. People and the bootstrap
 * token are not limited here.
 */
export async function checkBotReach(ctx: ServiceContext, principal: Principal | null, conversationId: string): Promise<void> {
  if (principal === null || principal.kind !== 'user' || !isBotPrincipal(principal)) return;
  const channels = principal.channels ?? [];
  if (channels.length === 0) {
    throw new BatonError('forbidden', 'this bot token names no channel (it was made before bot tokens named them); create one with channels: [...]');
  }
  const conversation = await getConversation(ctx.database.db, conversationId);
  if (conversation === null || !channels.includes(conversation.channelId)) throw new BatonError('not_found', `conversation "${conversationId}" not found`);
}

/** The same for an endpoint of one channel (Bot Framework): another channel's is refused. */
export function checkBotChannel(principal: Principal | null, channelId: string): void {
  if (principal === null || principal.kind !== 'user' || !isBotPrincipal(principal)) return;
  const channels = principal.channels ?? [];
  if (!channels.includes(channelId)) throw new BatonError('forbidden', `this bot token is not for channel "${channelId}"`);
}
