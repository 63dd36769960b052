/**
 * Priority, tags and properties. A change that marks the conversation (priority, a new tag, a
 * property) may fire `workflow_flag`: when an explicit rule for that trigger
 * matches the new state, the conversation is handed off by it. Soft here — no rule, no handoff —
 * so editing a tag never sends a conversation to the fallback queue.
 */
import type { PatchConversationInput } from '../../contract/api.js';
import type { HandoffTrace } from '../../contract/trace.js';
import { withTransaction } from '../../store/database.js';
import { updateConversation, type ConversationRecord } from '../../store/repositories/conversations.js';
import { appendEvent } from '../../store/repositories/events.js';
import { BatonError } from '../../platform/errors.js';
import { decideAndRecordHandoff } from '../handoff/decide-and-record-handoff.js';
import type { ServiceContext } from '../context.js';
import { lockConversation } from './lock-conversation.js';

export async function patchConversation(
  ctx: ServiceContext,
  input: { readonly conversationId: string; readonly patch: PatchConversationInput; readonly actor: string },
): Promise<{ conversation: ConversationRecord; handoff: HandoffTrace | null }> {
  const result = await withTransaction(ctx.database, async (trx) => {
    const loaded = await ctx.workspace.current(trx);
    const current = await lockConversation(trx, input.conversationId);
    if (current.status === 'closed') throw new BatonError('conflict', 'this conversation is closed');
    const now = ctx.clock.now();
    const { priority, tags, properties } = input.patch;
    const changes: Record<string, unknown> = {};
    if (priority !== undefined && priority !== current.priority) changes.priority = { from: current.priority, to: priority };
    const addedTags = tags === undefined ? [] : tags.filter((t) => !current.tags.includes(t));
    const removedTags = tags === undefined ? [] : current.tags.filter((t) => !tags.includes(t));
    if (addedTags.length > 0 || removedTags.length > 0) changes.tags = { added: addedTags, removed: removedTags };
    const mergedProperties = properties === undefined ? undefined : { ...current.properties, ...properties };
    if (properties !== undefined && Object.entries(properties).some(([k, v]) => current.properties[k] !== v)) changes.properties = properties;
    if (Object.keys(changes).length === 0) return { conversation: current, handoff: null };

    const updated = await updateConversation(
      trx,
      current.id,
      {
        ...(priority !== undefined && { priority }),
        ...(tags !== undefined && { tags: [...new Set(tags)] }),
        ...(mergedProperties !== undefined && { properties: mergedProperties }),
      },
      now,
    );
    if (updated === null) throw new BatonError('not_found', `conversation "${current.id}" not found`);
    await appendEvent(trx, { conversationId: current.id, type: 'conversation.updated', actor: input.actor, data: changes, now });

    const marks = changes.priority !== undefined || addedTags.length > 0 || changes.properties !== undefined;
    if (!marks) return { conversation: updated, handoff: null };
    const handed = await decideAndRecordHandoff(trx, ctx, loaded, {
      conversationId: current.id,
      trigger: 'workflow_flag',
      soft: true,
      note: `flagged by ${input.actor}: ${Object.keys(changes).join(', ')}`,
      messageText: '',
      actor: input.actor,
    });
    return handed.outcome === 'handed_off' ? { conversation: handed.conversation, handoff: handed.trace } : { conversation: updated, handoff: null };
  });
  ctx.afterCommit({ kind: 'outbox' });
  return result;
}
