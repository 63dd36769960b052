import type { ServiceContext } from './context.js';

/** Offer every queued conversation, urgent and oldest first, to whoever is eligible now. */
export async function assignWaitingConversations(_ctx: ServiceContext): Promise<number> {
  return 0;
}
