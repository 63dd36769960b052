import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Principal } from '../services/auth/principal.js';

/**
 * Who may call a route:
 * - `public`: anyone
 * - `user`: a signed-in user or a user token (any role), or the bootstrap admin token
 * - `admin`: role admin (or token with admin scope), or the bootstrap admin token
 * - `customer`: a widget/customer session token
 * - `bot`: an API token with the `bot` scope, or the bootstrap admin token (never a session:
 *   a bot endpoint is called by a machine)
 */
export type Access = 'public' | 'user' | 'admin' | 'customer' | 'bot';

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDefinition<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tags: string[];
  access: Access;
  /** Needs write scope (token scopes); reads need `read`. */
  writes?: boolean;
  /** A token with the `bot` scope may call it too (webhook bots: read, answer, hand off). */
  bot?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Status of this route's `invalid` answers (bad params, query or body, malformed JSON; same
   * error body); default 422. Bot Framework senders expect 400 for a malformed activity, as the
   * Bot Connector answers.
   */
  invalidInputStatus?: 400;
  /** Extra request content types accepted as raw text (e.g. application/yaml). */
  rawBody?: string[];
  response?: R;
  status?: number;
  /**
   * At most `max` requests a minute from one client, beyond which 429 `rate_limited` with
   * Retry-After: per `address` (the client's IP; with BATON_TRUST_PROXY, the one the proxy names)
   * or per `credentials` (the bearer token or session a request carries, else the address).
   */
  rateLimit?: { readonly max: number; readonly per: 'address' | 'credentials' };
  // A method signature (bivariant parameters) so a list of differently typed routes is one type.
  handler(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R> | undefined> | z.input<R> | undefined;
}

/** A route of any shape; each route is type-checked where it is defined with `defineRoute`. */
export type AnyRoute = RouteDefinition;

export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  route: RouteDefinition<P, Q, B, R>,
): AnyRoute {
  return route;
}
