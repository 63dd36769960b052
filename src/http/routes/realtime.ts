/**
 * Realtime (docs/realtime.md): `GET /api/realtime` upgrades to a WebSocket that streams
 * `{seq, type, conversationId, data}` frames — replay after `?after=<seq>`, then live — and the
 * typing signals, `POST /api/conversations/:id/typing` (agents) and
 * `POST /api/widget/conversations/:id/typing` (customers).
 *
 * Credentials for the socket: the session cookie, `Authorization: Bearer`, or `?token=` (a
 * browser cannot set headers on a WebSocket). They are checked before the upgrade: without valid
 * ones the answer is a plain HTTP 401 and no socket is opened. A user sees the agents' stream and
 * their own notifications; a customer token only its own contact's stream.
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { IdParams } from '../../contract/api.js';
import { RealtimeQuery } from '../../contract/realtime.js';
import { audiencesOf, canReadStream } from '../../services/realtime/audiences.js';
import { admitToStream, readStreamFrames } from '../../services/realtime/read-stream.js';
import { openStreamConnection } from '../realtime-connection.js';
import type { RealtimeHub } from '../../services/realtime/hub.js';
import { createRateLimiter, relayTyping, TYPING_INTERVAL_MS } from '../../services/realtime/relay-typing.js';
import { BatonError } from '../../platform/errors.js';
import type { ServiceContext } from '../../services/context.js';
import type { Credentials, Principal } from '../../services/auth/principal.js';
import { credentialsOf } from '../app.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

const TypingInput = z.object({ private: z.boolean().optional() });

/** The typing endpoints (ordinary routes: in the OpenAPI document). */
export function realtimeRoutes({ ctx, hub }: RouteDeps): AnyRoute[] {
  // Per sender and conversation (an HTTP request has no lasting connection to limit).
  const limiter = createRateLimiter(TYPING_INTERVAL_MS);
  return [
    defineRoute({
      method: 'POST',
      url: '/api/conversations/:id/typing',
      summary: 'The agent is typing (ephemeral, to the realtime stream; `private` for a note: agents only)',
      tags: ['realtime'],
      access: 'user',
      writes: true,
      params: IdParams,
      body: TypingInput,
      handler: async ({ params, body, principal }) => {
        if (principal === null) throw new BatonError('unauthorized', 'sign in or send a bearer token');
        await relayTyping({ ctx, hub, limiter }, principal, { conversationId: params.id, ...(body.private === undefined ? {} : { private: body.private }) });
        return undefined;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/widget/conversations/:id/typing',
      summary: 'The customer is typing (ephemeral, to the agents)',
      tags: ['widget'],
      access: 'customer',
      writes: true,
      params: IdParams,
      handler: async ({ params, principal }) => {
        if (principal?.kind !== 'customer') throw new BatonError('forbidden', 'this endpoint takes a customer session token');
        await relayTyping({ ctx, hub, limiter }, principal, { conversationId: params.id });
        return undefined;
      },
    }),
  ];
}

export interface RealtimeSocketOptions {
  readonly ctx: ServiceContext;
  readonly hub: RealtimeHub;
  readonly authenticate: (credentials: Credentials) => Promise<Principal | null>;
  /** Ping period; a socket silent for two periods is closed (default 30 s). */
  readonly heartbeatMs?: number;
  /**
   * How often an open socket's credentials are checked again (default 5 s): a deactivated user,
   * a revoked token or an ended session loses the live stream within this, not at reconnect.
   */
  readonly reauthenticateMs?: number;
  /** Calls `listener` whenever someone was signed out in this process; returns the unsubscribe. */
  readonly onSignedOut?: (listener: () => void) => () => void;
}

/**
 * Register the WebSocket plugin and `GET /api/realtime` on the built app. A route of its own
 * (not an `AnyRoute`): the handler gets a socket, not a reply.
 */
export async function registerRealtimeSocket(app: FastifyInstance, options: RealtimeSocketOptions): Promise<void> {
  const { ctx, hub } = options;
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  const admitted = new WeakMap<FastifyRequest, { readonly principal: Principal; readonly credentials: Credentials; readonly after: number; readonly truncated: boolean }>();

  app.get(
    '/api/realtime',
    {
      websocket: true,
      // Before the upgrade: a refusal is an ordinary HTTP answer (401/403/422), no socket opens.
      preValidation: async (request) => {
        const query = RealtimeQuery.safeParse(request.query ?? {});
        if (!query.success) {
          throw new BatonError('invalid', 'after must be a non-negative integer', { details: [{ path: 'after', message: 'a seq from this stream' }] });
        }
        const credentials = credentialsOf(request);
        const principal = await options.authenticate(query.data.token === undefined || credentials.bearer !== null ? credentials : { ...credentials, bearer: query.data.token });
        if (principal === null) throw new BatonError('unauthorized', 'sign in, send a bearer token, or pass ?token=');
        if (!canReadStream(principal)) throw new BatonError('forbidden', 'this token lacks the read scope');
        admitted.set(request, { principal, credentials: query.data.token === undefined || credentials.bearer !== null ? credentials : { ...credentials, bearer: query.data.token }, ...(await admitToStream(ctx, query.data.after)) });
      },
    },
    (socket, request) => {
      const admission = admitted.get(request);
      if (admission === undefined) {
        socket.close(1008, 'not admitted');
        return;
      }
      const { principal } = admission;
      const audiences = audiencesOf(principal);
      // Typing over the socket: rate-limited per connection.
      const limiter = createRateLimiter(TYPING_INTERVAL_MS);
      openStreamConnection({
        socket,
        hub,
        audiences,
        after: admission.after,
        truncated: admission.truncated,
        read: (after, limit) => readStreamFrames(ctx, audiences, after, limit),
        heartbeatMs: options.heartbeatMs ?? 30_000,
        onClientFrame: (frame) => {
          relayTyping({ ctx, hub, limiter }, principal, { conversationId: frame.conversationId, ...(frame.private === undefined ? {} : { private: frame.private }) }).catch(() => undefined);
        },
        onError: (error) => ctx.logger.error({ err: error }, 'realtime stream read failed'),
      });
      // Signed out everywhere means the live stream too: re-check the credentials
      // while the socket is open; 4401 tells the client to sign in again rather than reconnect.
      const check = () => {
        options
          .authenticate(admission.credentials)
          .then((still) => {
            if (still === null) socket.close(4401, 'signed out');
          })
          .catch(() => undefined);
      };
      const recheck = setInterval(check, options.reauthenticateMs ?? 5_000);
      recheck.unref();
      // At once when this process signed someone out (a deactivation, a password reset).
      const unsubscribe = options.onSignedOut?.(check);
      socket.once('close', () => {
        clearInterval(recheck);
        unsubscribe?.();
      });
    },
  );
}
