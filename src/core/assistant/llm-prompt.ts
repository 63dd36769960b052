/**
 * What the language model is asked: the OpenAI chat-completions request body, built from the
 * workspace name, the knowledge articles the built-in retrieval found closest to the customer's
 * message, and the transcript. Pure, so the prompt is unit-tested and the job only sends it.
 */
import type { Trigger } from '../../contract/common.js';
import type { KnowledgeAnswer, TranscriptLine } from './assistant.js';

export const HANDOFF_TOOL = 'handoff_to_human';

/** The reasons the tool offers; anything else the model writes is mapped by `triggerForHandoffReason`. */
export const HANDOFF_REASONS = ['customer_requested_human', 'unsupported_topic', 'negative_sentiment', 'intent_or_keyword'] as const satisfies readonly Trigger[];

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface ChatCompletionsBody {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly tools: readonly unknown[];
  readonly tool_choice: 'auto';
}

/** The tool, with JSON-schema arguments `{reason, summary}`. */
export const HANDOFF_TOOL_DEFINITION = {
  type: 'function',
  function: {
    name: HANDOFF_TOOL,
    description:
      'Hand the conversation to a human support agent. Call it instead of answering when the articles do not answer the question, when the customer asks for a person, is upset, or when you are unsure.',
    parameters: {
      type: 'object',
      properties: {
        reason: {
          type: 'string',
          description: `Why: one of ${HANDOFF_REASONS.join(', ')} (the customer asked for a person; the articles do not cover it; the customer is upset; a topic a person must handle) — or a few words.`,
        },
        summary: {
          type: 'string',
          description: 'One or two sentences for the human agent: what the customer needs and what was already tried.',
        },
      },
      required: ['reason', 'summary'],
      additionalProperties: false,
    },
  },
} as const;

export interface LlmPromptInput {
  readonly workspaceName: string;
  readonly model: string;
  /** The conversation's language when known: the answer is to be in it. */
  readonly language: string | null;
  readonly articles: readonly KnowledgeAnswer[];
  /** Public messages, oldest first, ending with the customer's message to answer. */
  readonly transcript: readonly TranscriptLine[];
}

export function buildLlmRequest(input: LlmPromptInput): ChatCompletionsBody {
  const grounding =
    input.articles.length === 0
      ? 'No knowledge article matches this conversation: unless the customer only greets or thanks you, hand off.'
      : input.articles.map((article, index) => `[${index + 1}] ${article.title} (id: ${article.articleId})\n${article.text}`).join('\n\n');
  const system = [
    `You are the AI support agent of ${input.workspaceName}. You answer customers in a chat before a human takes over.`,
    'Answer only from the knowledge articles below; never invent policies, prices, dates or steps that are not in them.',
    `If the articles do not answer the customer's question, if they ask for a person, if they are upset, or if you are unsure, do not guess: call the ${HANDOFF_TOOL} tool with a reason and a short summary for the human agent.`,
    `Reply in the customer's language${input.language === null ? '' : ` (${input.language})`}, briefly and plainly.`,
    '',
    'Knowledge articles:',
    grounding,
  ].join('\n');
  const messages: ChatMessage[] = [{ role: 'system', content: system }];
  for (const line of input.transcript) {
    switch (line.author) {
      case 'contact':
        messages.push({ role: 'user', content: line.body });
        break;
      case 'assistant':
        messages.push({ role: 'assistant', content: line.body });
        break;
      case 'user':
        // A person answered before a hand-back: the model should know what they said.
        messages.push({ role: 'assistant', content: `(a human support agent wrote) ${line.body}` });
        break;
      case 'system':
        // Handoff notices and the like: Baton's words, not the conversation's.
        break;
    }
  }
  return { model: input.model, messages, tools: [HANDOFF_TOOL_DEFINITION], tool_choice: 'auto' };
}

/**
 * The trigger for the model's `reason`: one of the offered values (any case, spaces or dashes),
 * else read from the words — a person asked for, upset — else `unsupported_topic` (the model could
 * not help, the commonest case).
 */
export function triggerForHandoffReason(reason: string): Trigger {
  const normalized = reason.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const offered = HANDOFF_REASONS.find((r) => r === normalized);
  if (offered !== undefined) return offered;
  const text = reason.toLowerCase();
  if (/\b(human|person|people|agent|someone|representative|operator|staff)\b/.test(text)) return 'customer_requested_human';
  if (/\b(angry|upset|frustrat\w*|annoyed|furious|complain\w*|negative|sentiment)\b/.test(text)) return 'negative_sentiment';
  return 'unsupported_topic';
}
