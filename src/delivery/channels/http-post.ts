/**
 * One outbound POST for the Slack and webhook channels, through node:http(s) rather than fetch:
 * `fetch` offers no hook between "resolve" and "connect", and the private-address guard must
 * check the very addresses the socket connects to (DNS rebinding). Redirects are not followed (a
 * 3xx could point anywhere, private addresses included).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PermanentDeliveryError } from '../outbox-worker.js';
import { assertLiteralHostAllowed, describeTarget, guardedLookup, parseTargetUrl, RefusedTargetError } from './private-address.js';

/** A receiver gets this long to answer (connect + response), in ms. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Of an error answer's body, this much goes into `last_error` (bytes). */
const ERROR_BODY_BYTES = 500;

export interface PostOptions {
  readonly url: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly allowPrivateNetworks: boolean;
  readonly timeoutMs?: number;
}

export interface PostResult {
  readonly status: number;
  readonly body: string;
}

/**
 * An answer worth retrying: 408 (request timeout), 429 (rate limited) and 5xx. Other non-2xx
 * answers (a 404 for a deleted endpoint, a 401 for a rotated secret, a 3xx) will not change by
 * themselves: dead-letter them for a person to look at (Standard Webhooks "retry schedule").
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POST and read the answer. Throws PermanentDeliveryError for a refused target or a non-retryable
 * answer, a plain Error for what a retry may fix (network errors, timeouts, 408/429/5xx).
 */
export async function postJson(options: PostOptions): Promise<PostResult> {
  const { target, answer } = await postAndRead(options, { keepBytes: ERROR_BODY_BYTES * 4, whole: false });
  if (answer.status >= 200 && answer.status < 300) return answer;
  const message = `POST ${target}: HTTP ${answer.status}${answer.body === '' ? '' : ` ${answer.body.slice(0, ERROR_BODY_BYTES)}`}`;
  if (isRetryableStatus(answer.status)) throw new Error(message);
  throw new PermanentDeliveryError(message);
}

/**
 * POST through the guarded socket and read the answer, whatever its status. `whole`: the caller
 * reads the answer (an LLM's completion), so one longer than `keepBytes` is an error; otherwise
 * only its start is kept, for an error message. Throws PermanentDeliveryError for a refused
 * target, a plain Error for network errors and timeouts.
 */
export async function postAndRead(
  options: PostOptions,
  answerLimit: { readonly keepBytes: number; readonly whole: boolean },
): Promise<{ readonly target: string; readonly answer: PostResult }> {
  let url: URL;
  try {
    url = parseTargetUrl(options.url);
    assertLiteralHostAllowed(url, options.allowPrivateNetworks);
  } catch (error) {
    throw new PermanentDeliveryError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const target = describeTarget(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    return { target, answer: await send(url, options, timeoutMs, answerLimit) };
  } catch (error) {
    if (error instanceof RefusedTargetError) throw new PermanentDeliveryError(error.message, { cause: error });
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describeNetworkError(error);
    throw new Error(`POST ${target}: ${reason}`, { cause: error });
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? error.message : `${code} ${error.message}`.trim();
  }
  return String(error);
}

function send(
  url: URL,
  options: PostOptions,
  timeoutMs: number,
  answerLimit: { readonly keepBytes: number; readonly whole: boolean },
): Promise<PostResult> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = Buffer.from(options.body, 'utf8');
  return new Promise<PostResult>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(body.length),
          'user-agent': 'Baton-Webhooks/1',
          ...options.headers,
        },
        lookup: guardedLookup({ allowPrivate: options.allowPrivateNetworks }),
        // Covers connect, sending and the whole answer; aborts the socket when it fires.
        signal: AbortSignal.timeout(timeoutMs),
        // A fresh connection per delivery: a pooled socket would skip the guarded lookup.
        agent: false,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= answerLimit.keepBytes) {
            chunks.push(chunk);
          } else if (answerLimit.whole) {
            req.destroy(new Error(`the answer is longer than ${answerLimit.keepBytes} bytes`));
          } else if (size - chunk.length < answerLimit.keepBytes) {
            // Keep only the start of the answer: it is for an error message, not for reading.
            chunks.push(chunk);
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').trim() }));
        res.on('error', reject);
      },
    );
    req.on('error', (error: Error) => {
      // An abort carries the signal's reason (a TimeoutError) as its cause.
      const reason: unknown = (error as { cause?: unknown }).cause;
      reject(error.name === 'AbortError' && reason instanceof Error ? reason : error);
    });
    req.end(body);
  });
}
