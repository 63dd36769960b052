/**
 * One call to an OpenAI-compatible chat-completions endpoint (`POST {baseUrl}/chat/completions`):
 * OpenAI, Azure OpenAI, Ollama, vLLM, LiteLLM and most hosted models speak it. No SDK: the request
 * and the part of the answer we read are small, stable JSON shapes, and an SDK's own retries would
 * fight the outbox's (which retries, then hands off).
 *
 * The private-address guard: the call goes through http-post.ts's socket (node:http with a lookup
 * that checks the very addresses it connects to, no pooled sockets, no redirects), not `fetch`,
 * which has no hook between resolving and connecting (a DNS-rebinding window).
 */
import { z } from 'zod';
import type { ChatCompletionsBody } from '../../core/assistant/llm-prompt.js';
import { PermanentDeliveryError } from '../outbox-worker.js';
import { isRetryableStatus, postAndRead } from './http-post.js';

const ERROR_BODY_CHARS = 500;
/** A completion longer than this is refused (retried, then handed off): 1 MiB. */
const MAX_ANSWER_BYTES = 1 << 20;

/** The part of a chat-completions answer we read (OpenAI's shape; extra fields are ignored). */
export const ChatCompletionResponse = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullable().optional(),
          tool_calls: z
            .array(z.object({ id: z.string().optional(), type: z.string().optional(), function: z.object({ name: z.string(), arguments: z.string() }) }))
            .nullable()
            .optional(),
        }),
      }),
    )
    .min(1),
});

export type ChatAnswer =
  | { readonly kind: 'text'; readonly text: string }
  /** `arguments` as the model wrote them: a JSON string, not yet trusted. */
  | { readonly kind: 'tool_call'; readonly name: string; readonly arguments: string };

export interface ChatCompletionsCall {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly body: ChatCompletionsBody;
  readonly timeoutMs: number;
  readonly allowPrivateNetworks: boolean;
}

/**
 * The model's answer: its first tool call, else its text. Throws PermanentDeliveryError for what
 * no retry changes (a refused address, 4xx other than 408/429: a wrong key, an unknown model), a
 * plain Error for the rest (timeouts, network errors, 408/429/5xx, a malformed answer).
 */
export async function callChatCompletions(call: ChatCompletionsCall): Promise<ChatAnswer> {
  const { target, answer } = await postAndRead(
    {
      url: `${call.baseUrl.replace(/\/+$/, '')}/chat/completions`,
      body: JSON.stringify(call.body),
      headers: {
        accept: 'application/json',
        'user-agent': 'Baton/1',
        ...(call.apiKey === undefined || call.apiKey === '' ? {} : { authorization: `Bearer ${call.apiKey}` }),
      },
      allowPrivateNetworks: call.allowPrivateNetworks,
      timeoutMs: call.timeoutMs,
    },
    { keepBytes: MAX_ANSWER_BYTES, whole: true },
  );
  const text = answer.body;
  if (answer.status < 200 || answer.status >= 300) {
    const message = `POST ${target}: HTTP ${answer.status}${text === '' ? '' : ` ${text.slice(0, ERROR_BODY_CHARS)}`}`;
    if (isRetryableStatus(answer.status)) throw new Error(message);
    throw new PermanentDeliveryError(message);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`POST ${target}: the answer is not JSON (${text.slice(0, 80)})`);
  }
  const parsed = ChatCompletionResponse.safeParse(json);
  if (!parsed.success) throw new Error(`POST ${target}: not a chat completion: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const message = parsed.data.choices[0]?.message;
  const tool = message?.tool_calls?.[0];
  if (tool !== undefined) return { kind: 'tool_call', name: tool.function.name, arguments: tool.function.arguments };
  const content = message?.content?.trim() ?? '';
  if (content === '') throw new Error(`POST ${target}: the model answered neither text nor a tool call`);
  return { kind: 'text', text: content };
}
