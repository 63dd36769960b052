/**
 * External assistants: a customer message on a channel with `assistant: webhook` or
 * `assistant: llm` is an outbox row written by the customer turn (services/bots/defer-to-assistant.ts);
 * these jobs call the bot or the model after commit, so the customer's request never waits on
 * them.
 *
 * - `bot.webhook.message`: `{conversation, message}` (the API's shapes) POSTed to the channel's
 *   `botUrl`, signed per Standard Webhooks with `botSecret` (as our webhooks). The bot answers with
 *   `POST /api/conversations/{id}/messages` or hands off with `…/handoff`, using a `bot` token.
 * - `bot.llm.turn`: one chat-completions call grounded in the knowledge base; a text answer is
 *   posted as the AI agent, a `handoff_to_human` tool call hands off with the model's summary.
 *
 * Both re-read the conversation when they run: once it has left `bot` nothing is sent (Baton stops
 * calling the bot; CW #5077, the bot kept replying after the handoff). Both retry a little — a
 * customer is waiting — and then hand off (`no_assistant`, with a note saying what failed), as they
 * do at once on an answer no retry changes: an assistant that is down never leaves the customer
 * hanging.
 */
import type { z } from 'zod';
import { buildLlmRequest, HANDOFF_TOOL, triggerForHandoffReason } from '../core/assistant/llm-prompt.js';
import type { TranscriptLine } from '../core/assistant/assistant.js';
import { parseDurationSeconds } from '../core/duration.js';
import type { ServiceContext } from '../services/context.js';
import { BOT_JOB_KINDS, BotJobPayload } from '../services/bots/defer-to-assistant.js';
import { handOffFromAssistant } from '../services/handoff/hand-off-from-assistant.js';
import { appendAssistantMessage } from '../services/conversations/post-assistant-message.js';
import { presentConversation } from '../services/present/present-conversation.js';
import { presentMessages } from '../services/conversations/read-conversations.js';
import { withTransaction } from '../store/database.js';
import { getContact } from '../store/repositories/contacts.js';
import { getConversation } from '../store/repositories/conversations.js';
import { latestHandoffTrace } from '../store/repositories/events.js';
import { listMessages, listRecentMessages } from '../store/repositories/messages.js';
import type { OutboxItem, RetryPolicy } from '../store/repositories/outbox.js';
import { callChatCompletions } from './channels/chat-completions.js';
import { postJson } from './channels/http-post.js';
import { signWebhook } from './channels/webhook.js';
import { defineJob, PermanentDeliveryError, type ExternalJob, type JobDefinition } from './outbox-worker.js';
import { privateNetworksAllowed } from './private-networks.js';

/** A webhook bot: 4 attempts, 1 s doubling (1, 2, 4 s) — then a person takes over. */
export const BOT_WEBHOOK_RETRY: RetryPolicy = { attempts: 4, backoffMs: 1_000, maxBackoffMs: 10_000 };
/** The language model: 3 attempts, 1 s doubling — each may take up to `assistant.llm.timeout`. */
export const BOT_LLM_RETRY: RetryPolicy = { attempts: 3, backoffMs: 1_000, maxBackoffMs: 10_000 };
/** The bot gets this long to accept a message (its answer comes later, through the API). */
const BOT_TIMEOUT_MS = 10_000;
/** Of the transcript, the model sees this many latest public messages. */
const LLM_TRANSCRIPT = 30;
/** Knowledge articles given to the model as grounding. */
const LLM_ARTICLES = 3;

const NAMES = { webhook: 'the webhook bot', llm: 'the LLM agent' } as const;

/**
 * Run one attempt; when it fails for good — an answer no retry changes, or the last attempt — hand
 * the conversation off before the row dead-letters (the error is re-thrown so the delivery list
 * shows what happened). Crash-safe: the handoff commits first; a re-run finds the conversation out
 * of `bot` and does nothing.
 */
async function orHandOff(ctx: ServiceContext, who: keyof typeof NAMES, item: OutboxItem, retry: RetryPolicy, conversationId: string, attempt: () => Promise<void>): Promise<void> {
  try {
    await attempt();
  } catch (error) {
    const final = error instanceof PermanentDeliveryError || item.attempts >= retry.attempts;
    if (final) {
      const reason = error instanceof Error ? error.message : String(error);
      const tries = item.attempts === 1 ? '1 attempt' : `${item.attempts} attempts`;
      const handed = await handOffFromAssistant(ctx, {
        conversationId,
        trigger: 'no_assistant',
        note: `${NAMES[who]} failed (${tries}): ${reason}`.slice(0, 1_000),
        actor: 'system',
      });
      if (handed.outcome === 'handed_off') ctx.logger.warn({ conversationId, kind: item.kind, error: reason }, `${NAMES[who]} failed; conversation handed off`);
    }
    throw error;
  }
}

export function botWebhookJob(ctx: ServiceContext): ExternalJob<typeof BotJobPayload> {
  return {
    kind: BOT_JOB_KINDS.webhook,
    mode: 'external',
    payload: BotJobPayload,
    retry: BOT_WEBHOOK_RETRY,
    async send(payload, item, now) {
      const db = ctx.database.db;
      const conversation = await getConversation(db, payload.conversationId);
      if (conversation === null || conversation.status !== 'bot') return;
      await orHandOff(ctx, 'webhook', item, BOT_WEBHOOK_RETRY, conversation.id, async () => {
        const loaded = await ctx.workspace.current();
        const channel = loaded.config.channels.find((c) => c.id === conversation.channelId);
        if (channel?.assistant !== 'webhook' || channel.botUrl === undefined) {
          throw new PermanentDeliveryError(`channel ${conversation.channelId} no longer has a webhook bot`);
        }
        const contact = await getContact(db, conversation.contactId);
        const [message] = await listMessages(db, conversation.id, { afterSeq: payload.messageSeq - 1, limit: 1 });
        if (contact === null || message?.seq !== payload.messageSeq) throw new PermanentDeliveryError(`message ${payload.messageSeq} of ${conversation.id} not found`);
        const trace = conversation.handedOffAt === null ? null : await latestHandoffTrace(db, conversation.id);
        const body = JSON.stringify({ conversation: presentConversation(conversation, contact, trace, { model: loaded.model, viewer: null }), message: presentMessages(loaded, contact, [message])[0] });
        await postJson({
          url: channel.botUrl,
          body,
          // webhook-id is the row's key: the same on every attempt, the bot's de-duplication key.
          headers: signWebhook({ secret: channel.botSecret, webhookId: item.idempotencyKey, at: now, body }),
          allowPrivateNetworks: await privateNetworksAllowed(ctx, item, loaded.config.notifications.allowPrivateNetworks),
          timeoutMs: BOT_TIMEOUT_MS,
        });
      });
    },
  };
}

interface HandoffArguments {
  readonly reason: string;
  readonly summary: string | null;
}

/** The tool's arguments as far as they can be read: a handoff asked for is honoured even when they are malformed. */
function readHandoffArguments(raw: string): HandoffArguments {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return { reason: '', summary: null };
    const record = value as Record<string, unknown>;
    const summary = typeof record.summary === 'string' && record.summary.trim() !== '' ? record.summary.trim().slice(0, 2_000) : null;
    return { reason: typeof record.reason === 'string' ? record.reason.slice(0, 200) : '', summary };
  } catch {
    return { reason: '', summary: null };
  }
}

export function botLlmJob(ctx: ServiceContext): ExternalJob<typeof BotJobPayload> {
  return {
    kind: BOT_JOB_KINDS.llm,
    mode: 'external',
    payload: BotJobPayload,
    retry: BOT_LLM_RETRY,
    async send(payload, item) {
      const db = ctx.database.db;
      const conversation = await getConversation(db, payload.conversationId);
      if (conversation === null || conversation.status !== 'bot') return;
      const recent = await listRecentMessages(db, conversation.id, { limit: LLM_TRANSCRIPT + 10 });
      // A newer customer message has its own turn, which answers with the whole transcript; and a
      // re-run after a crash between posting and "done" finds its answer already there.
      if (recent.some((m) => m.author === 'contact' && m.seq > payload.messageSeq)) return;
      if (recent.some((m) => m.author === 'assistant' && m.data.replyTo === payload.messageSeq)) return;
      const transcript = recent.filter((m) => m.seq <= payload.messageSeq).slice(-LLM_TRANSCRIPT);
      const message = transcript.find((m) => m.seq === payload.messageSeq);
      if (message === undefined) return;

      await orHandOff(ctx, 'llm', item, BOT_LLM_RETRY, conversation.id, async () => {
        const loaded = await ctx.workspace.current();
        const llm = loaded.config.assistant.llm;
        const channel = loaded.config.channels.find((c) => c.id === conversation.channelId);
        if (channel?.assistant !== 'llm' || llm === undefined) throw new PermanentDeliveryError(`channel ${conversation.channelId} no longer has an LLM agent`);
        const articles = loaded.assistant.retrieve(message.body, { language: conversation.language, limit: LLM_ARTICLES });
        const body = buildLlmRequest({
          workspaceName: loaded.config.workspace.name,
          model: llm.model,
          language: conversation.language,
          articles,
          transcript: transcript.map((m): TranscriptLine => ({ author: m.author, body: m.body })),
        });
        const answer = await callChatCompletions({
          baseUrl: llm.baseUrl,
          apiKey: llm.apiKey,
          body,
          timeoutMs: parseDurationSeconds(llm.timeout) * 1000,
          allowPrivateNetworks: await privateNetworksAllowed(ctx, item, loaded.config.notifications.allowPrivateNetworks),
        });
        if (answer.kind === 'tool_call') {
          if (answer.name !== HANDOFF_TOOL) throw new Error(`the model called an unknown tool "${answer.name}"`);
          const args = readHandoffArguments(answer.arguments);
          await handOffFromAssistant(ctx, {
            conversationId: conversation.id,
            trigger: triggerForHandoffReason(args.reason),
            note: `the LLM agent handed off: ${args.reason === '' ? 'no reason given' : args.reason}`,
            ...(args.summary === null ? {} : { summary: { text: args.summary, source: 'llm' as const } }),
          });
          return;
        }
        // Posted only while still in `bot`, checked under the row lock; otherwise dropped.
        const posted = await withTransaction(ctx.database, (trx) =>
          appendAssistantMessage(trx, ctx, {
            conversationId: conversation.id,
            body: answer.text,
            data: { source: 'llm', model: llm.model, replyTo: payload.messageSeq, articles: articles.map((a) => a.articleId) },
          }),
        );
        if (posted.outcome === 'posted') ctx.afterCommit({ kind: 'outbox' });
        else ctx.logger.info({ conversationId: conversation.id, status: posted.status }, 'LLM answer dropped: the conversation left the AI agent');
      });
    },
  };
}

export function botJobs(ctx: ServiceContext): JobDefinition<z.ZodType>[] {
  return [defineJob(botWebhookJob(ctx)), defineJob(botLlmJob(ctx))];
}
