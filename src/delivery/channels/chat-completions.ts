/**
 * One call to an OpenAI-compatible chat-completions endpoint (`POST {baseUrl}/chat/completions`):
 * OpenAI, Azure OpenAI, Ollama, vLLM, LiteLLM and most hosted models speak it. Global `fetch` with
 * `AbortSignal.timeout`, no SDK: the request and the part of the answer we read are small, stable
 * JSON shapes, and an SDK's own retries would fight the outbox's (which retries, then hands off).
 *
 * The private-address guard: `fetch` has no hook between resolving and connecting, so the name is
 * resolved and checked just before the call (guardedLookup); that leaves a DNS-rebinding window
 * that http-post.ts's socket-level check does not have — acceptable for an endpoint only an admin
 * configures, and closed entirely by pointing baseUrl at an IP address.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import type { ChatCompletionsBody } from '../../core/assistant/llm-prompt.js';
import { PermanentDeliveryError } from '../outbox-worker.js';
import { isRetryableStatus } from './http-post.js';
import { assertLiteralHostAllowed, describeTarget, guardedLookup, parseTargetUrl, RefusedTargetError } from './private-address.js';

const ERROR_BODY_CHARS = 500;

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
  const url = await allowedUrl(`${call.baseUrl.replace(/\/+$/, '')}/chat/completions`, call.allowPrivateNetworks);
  const target = describeTarget(url);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(call.apiKey === undefined || call.apiKey === '' ? {} : { authorization: `Bearer ${call.apiKey}` }),
      },
      body: JSON.stringify(call.body),
      signal: AbortSignal.timeout(call.timeoutMs),
      // A 3xx could point anywhere, private addresses included (as http-post.ts).
      redirect: 'manual',
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${call.timeoutMs} ms` : describeError(error);
    throw new Error(`POST ${target}: ${reason}`, { cause: error });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${call.timeoutMs} ms` : describeError(error);
    throw new Error(`POST ${target}: ${reason}`, { cause: error });
  }
  if (response.status < 200 || response.status >= 300) {
    const message = `POST ${target}: HTTP ${response.status}${text.trim() === '' ? '' : ` ${text.trim().slice(0, ERROR_BODY_CHARS)}`}`;
    if (isRetryableStatus(response.status)) throw new Error(message);
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

async function allowedUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  try {
    const url = parseTargetUrl(raw);
    assertLiteralHostAllowed(url, allowPrivate);
    const host = url.hostname;
    if (!allowPrivate && isIP(host) === 0) {
      await new Promise<void>((resolve, reject) => {
        guardedLookup({ allowPrivate })(host, { all: true }, (error) => (error ? reject(error) : resolve()));
      });
    }
    return url;
  } catch (error) {
    if (error instanceof RefusedTargetError) throw new PermanentDeliveryError(error.message, { cause: error });
    throw new Error(`${raw}: ${describeError(error)}`, { cause: error });
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? (error as NodeJS.ErrnoException).code;
    const detail = cause instanceof Error ? cause.message : error.message;
    return code === undefined ? detail : `${code} ${detail}`.trim();
  }
  return String(error);
}
