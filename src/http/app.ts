import { createHash } from 'node:crypto';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import { redactUrl } from './redact-url.js';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ErrorBody, ErrorDetail } from '../contract/common.js';
import { flattenIssues } from '../contract/issues.js';
import { BatonError, statusByCode } from '../platform/errors.js';
import { nestingProblem } from '../platform/nesting.js';
import { textProblem } from '../platform/text.js';
import type { RedisConnection } from '../platform/redis.js';
import { isBotPrincipal, type Credentials, type Principal } from '../services/auth/principal.js';
import type { AnyRoute } from './route.js';

export const SESSION_COOKIE = 'baton_session';

export interface HttpOptions {
  routes: AnyRoute[];
  authenticate: (credentials: Credentials) => Promise<Principal | null>;
  logLevel: string;
  /** Called for each finished request (metrics). */
  onResponse?: (route: string, method: string, status: number, seconds: number) => void;
  /** Largest raw email (`message/rfc822`) body, bytes; default the general limit. */
  emailBodyLimit?: number;
  /** `BATON_PUBLIC_URL`: its host counts as Baton's own origin, beside the request's Host. */
  publicUrl?: string;
  /** False: routes' `rateLimit` is not applied (`BATON_RATE_LIMITS=0`). Default true. */
  rateLimits?: boolean;
  /**
   * `REDIS_URL`: the limits are counted in this Redis, shared by every process; when a command
   * fails (Redis down or slow) the request is served without a limit rather than refused.
   * Unset: counted in this process's memory.
   */
  redis?: Pick<RedisConnection, 'client' | 'prefix'>;
  /** `BATON_TRUST_PROXY`, as Fastify's `trustProxy`. */
  trustProxy?: boolean | string[] | ((address: string, hop: number) => boolean);
}

function errorBody(code: BatonError['code'], message: string, details?: ErrorDetail[]): ErrorBody {
  return { error: { code, message, ...(details && details.length > 0 ? { details } : {}) } };
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = flattenIssues(parsed.error.issues, where === 'body' ? [] : [where]);
  throw new BatonError('invalid', `invalid ${where}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, {
    details,
  });
}

/** Text no database keeps as sent (platform/text.ts): refused before the schema reads it. */
function refuseIllFormedText(value: unknown, where: 'params' | 'query' | 'body'): void {
  const problem = textProblem(value, where === 'body' ? '' : where);
  if (problem) throw new BatonError('invalid', `invalid ${where}: ${problem.path}: ${problem.message}`, { details: [problem] });
}

/** A rate-limit key per credentials: a hash of the token or session carried, else the address. */
function credentialsKey(request: FastifyRequest): string {
  const { bearer, session } = credentialsOf(request);
  const secret = bearer ?? session;
  return secret === null ? `address:${request.ip}` : `credentials:${createHash('sha256').update(secret).digest('base64url')}`;
}

function contentTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * A change made with the session cookie must come from Baton's own pages: a browser names the
 * page that sent a request (`Origin`, or `Sec-Fetch-Site`), and one from another site is refused
 * (CSRF; SameSite=Lax alone let a cross-site text/plain POST through). Requests from outside a
 * browser name no page and pass, as do bearer tokens, which no other site holds. Hosts are
 * compared without the scheme, so a TLS proxy in front changes nothing.
 */
export function checkSameOrigin(request: FastifyRequest, publicUrl: string | undefined): void {
  const origin = request.headers.origin;
  const refuse = (why: string) => new BatonError('forbidden', `refused a change sent from another site (${why}); use Baton's own pages or an API token`);
  if (origin !== undefined) {
    let host: string;
    try {
      host = new URL(origin).host.toLowerCase();
    } catch {
      throw refuse(`Origin ${origin}`);
    }
    const allowed = [request.headers.host?.toLowerCase(), publicUrl === undefined ? undefined : hostOf(publicUrl)];
    if (host === '' || !allowed.includes(host)) throw refuse(`Origin ${origin}`);
    return;
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') throw refuse(`Sec-Fetch-Site ${String(site)}`);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The session cookie's attributes: HttpOnly, SameSite=Lax, and Secure whenever the browser talks
 * https — the request says so (directly, or through a trusted proxy) or Baton's public address is
 * https — so a cookie set behind a TLS proxy is never sent over plain http.
 */
export function sessionCookieOptions(request: FastifyRequest, publicUrl: string | undefined, maxAgeSeconds?: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: request.protocol === 'https' || (publicUrl?.startsWith('https:') ?? false),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

export function credentialsOf(request: FastifyRequest): Credentials {
  const header = request.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
  const session = request.cookies[SESSION_COOKIE] ?? null;
  return { bearer: bearer || null, session };
}

function checkAccess(route: AnyRoute, principal: Principal | null, credentials: Credentials): void {
  if (route.access === 'public') return;
  if (!principal) throw new BatonError('unauthorized', 'sign in or send a bearer token');
  if (route.access === 'bot') {
    if (principal.kind === 'admin_token') return;
    const isToken = credentials.bearer !== null && principal.kind === 'user' && principal.scopes !== 'all';
    if (!isToken || !principal.scopes.includes('bot')) throw new BatonError('forbidden', 'this endpoint takes an API token with the bot scope');
    return;
  }
  if (route.access === 'customer') {
    if (principal.kind !== 'customer') throw new BatonError('forbidden', 'this endpoint takes a customer session token');
    return;
  }
  if (principal.kind === 'customer') throw new BatonError('forbidden', 'customer tokens reach only the widget API');
  if (principal.kind === 'admin_token') return;
  if (isBotPrincipal(principal)) {
    if (route.bot !== true) throw new BatonError('forbidden', 'a bot token reaches only the bot endpoints: read a conversation, answer, hand off');
    return;
  }
  const scopes = principal.scopes;
  const has = (scope: 'read' | 'write' | 'admin') => scopes === 'all' || scopes.includes(scope) || scopes.includes('admin');
  if (route.access === 'admin' && (principal.role !== 'admin' || !has('admin'))) {
    throw new BatonError('forbidden', 'admins only');
  }
  if (route.writes && !has('write')) throw new BatonError('forbidden', 'this token lacks the write scope');
  if (!route.writes && !has('read')) throw new BatonError('forbidden', 'this token lacks the read scope');
}

export async function buildHttpApp(options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    trustProxy: options.trustProxy ?? false,
    logger:
      options.logLevel === 'silent'
        ? false
        : {
            level: options.logLevel,
            // Fastify's own request line, minus secrets in the query string (`?token=` on the WebSocket).
            serializers: {
              req: (request: { method: string; url: string; hostname?: string; ip?: string }) => ({
                method: request.method,
                url: redactUrl(request.url),
                hostname: request.hostname,
                remoteAddress: request.ip,
              }),
            },
          },
    bodyLimit: 2 * 1024 * 1024,
    // Errors the router meets before any route runs, in the usual shape like every other error
    // (Fastify's default is its own `{error: "Bad Request", code: "FST_ERR_…"}`).
    frameworkErrors: (error, _request, reply) => {
      const message =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'the path has a segment longer than 100 characters, which no id is'
          : 'the path is not valid percent-encoding (RFC 3986, section 2.1)';
      // Fastify types this reply with the route generics no route has yet.
      void (reply as unknown as FastifyReply).status(statusByCode.invalid).send(errorBody('invalid', message));
    },
  });
  await app.register(cookie);
  // Per-route limits (RouteDefinition.rateLimit) by @fastify/rate-limit: counted in Redis when
  // there is one (shared by every process; fail open when it does not answer), else in memory.
  await app.register(rateLimit, {
    global: false,
    ...(options.redis === undefined ? {} : { redis: options.redis.client, nameSpace: `${options.redis.prefix}rate:`, skipOnError: true }),
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error(`too many requests; try again in ${context.after}`), { statusCode: 429 }),
  });
  // Over https (directly, or as a trusted proxy says), browsers are told to stay on https.
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') void reply.header('strict-transport-security', 'max-age=31536000');
  });

  for (const type of ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => done(null, body));
  }
  // The rating page's form (http/routes/rating-page.ts), as text; a route that does not list it refuses it (415).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) => done(null, body));
  // A raw email (inbound hook) stays bytes: its charsets are declared inside, per MIME part.
  app.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: options.emailBodyLimit ?? 2 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, request, reply) => {
    // A route may answer `invalid` with another status (RouteDefinition.invalidInputStatus).
    const invalidStatus = (request.routeOptions.config as { invalidInputStatus?: number } | undefined)?.invalidInputStatus ?? statusByCode.invalid;
    if (error instanceof BatonError) {
      void reply.status(error.code === 'invalid' ? invalidStatus : statusByCode[error.code]).send(errorBody(error.code, error.message, error.details));
      return;
    }
    const fastifyError = error as { statusCode?: number; code?: string; message?: string };
    if (fastifyError.statusCode === 429) {
      void reply.status(429).send(errorBody('rate_limited', fastifyError.message ?? 'too many requests'));
      return;
    }
    if (fastifyError.statusCode === 413) {
      void reply.status(413).send(errorBody('too_large', 'the request body is larger than this endpoint takes'));
      return;
    }
    if (fastifyError.statusCode === 415) {
      void reply.status(415).send(errorBody('unsupported_media_type', `this endpoint does not take ${contentTypeOf(request) || 'a body without a content type'}`));
      return;
    }
    if (fastifyError.statusCode && fastifyError.statusCode < 500) {
      const code = fastifyError.statusCode === 404 ? 'not_found' : fastifyError.statusCode === 413 ? 'invalid' : 'invalid';
      void reply.status(fastifyError.statusCode === 404 ? 404 : invalidStatus).send(errorBody(code, fastifyError.message ?? 'bad request'));
      return;
    }
    request.log.error({ err: error }, 'unhandled error');
    void reply.status(500).send(errorBody('internal', 'internal error'));
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  if (options.onResponse) {
    const onResponse = options.onResponse;
    app.addHook('onResponse', async (request, reply) => {
      onResponse(request.routeOptions.url ?? 'unknown', request.method, reply.statusCode, reply.elapsedTime / 1000);
    });
  }

  for (const route of options.routes) {
    app.route({
      method: route.method,
      url: route.url,
      config: {
        invalidInputStatus: route.invalidInputStatus,
        ...(route.rateLimit === undefined || options.rateLimits === false
          ? {}
          : {
              rateLimit: {
                max: route.rateLimit.max,
                timeWindow: 60_000,
                keyGenerator: route.rateLimit.per === 'address' ? (request: FastifyRequest) => request.ip : credentialsKey,
              },
            }),
      },
      handler: async (request, reply) => {
        const credentials = credentialsOf(request);
        if (request.method !== 'GET' && request.method !== 'HEAD' && credentials.bearer === null && (credentials.session !== null || route.url.startsWith('/api/auth/'))) {
          checkSameOrigin(request, options.publicUrl);
        }
        const principal = route.access === 'public' ? null : await options.authenticate(credentials);
        checkAccess(route, principal, credentials);
        refuseIllFormedText(request.params, 'params');
        const params = route.params ? parseOrThrow(route.params, request.params, 'params') : {};
        if (route.query) refuseIllFormedText(request.query, 'query');
        const query = route.query ? parseOrThrow(route.query, request.query ?? {}, 'query') : {};
        let rawBody: unknown = request.body;
        const contentType = contentTypeOf(request);
        const isRaw = route.rawBody?.includes(contentType) ?? false;
        // A body the route does not read as what it is (text/plain to a JSON route: a form a
        // cross-site page can send without asking) is refused, not coerced.
        if (rawBody !== undefined && contentType !== '' && contentType !== 'application/json' && !isRaw) {
          throw new BatonError('unsupported_media_type', `this endpoint takes application/json${route.rawBody ? ` or ${route.rawBody.join(', ')}` : ''}, not ${contentType}`);
        }
        if (route.body && !isRaw && (rawBody === undefined || rawBody === null)) rawBody = {};
        if (route.body && !isRaw) {
          const shape = nestingProblem(rawBody);
          if (shape) throw new BatonError('invalid', `invalid body: ${shape.path}: ${shape.message}`, { details: [shape] });
          refuseIllFormedText(rawBody, 'body');
        }
        const body = isRaw ? rawBody : route.body ? parseOrThrow(route.body, rawBody, 'body') : undefined;
        const result = await route.handler({ params, query, body, principal, request, reply });
        if (reply.sent) return reply;
        if (result === undefined) return reply.status(route.status ?? 204).send();
        return reply.status(route.status ?? 200).send(result);
      },
    });
  }
  return app;
}

// ── OpenAPI 3.1 from the same schemas ───────────────────────────────────────────────────────────
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', cycles: 'ref', reused: 'inline' }) as Record<
    string,
    unknown
  >;
  delete out.$schema;
  return out;
}

export function buildOpenApi(routes: AnyRoute[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorSchema = {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          details: { type: 'array', items: { type: 'object' } },
        },
        required: ['code', 'message'],
      },
    },
  };
  for (const route of routes) {
    if (!route.url.startsWith('/api')) continue;
    const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const match of route.url.matchAll(/:([A-Za-z_]+)/g)) {
      parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
    }
    if (route.query) {
      const schema = jsonSchema(route.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        parameters.push({ name, in: 'query', required: schema.required?.includes(name) ?? false, schema: prop });
      }
    }
    const operation: Record<string, unknown> = {
      summary: route.summary,
      tags: route.tags,
      operationId: `${route.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      parameters,
      responses: {
        [String(route.status ?? (route.response ? 200 : 204))]: route.response
          ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(route.response, 'output') } } }
          : { description: 'No content' },
        default: { description: 'Error', content: { 'application/json': { schema: errorSchema } } },
      },
    };
    if (route.access !== 'public') {
      operation.security =
        route.access === 'customer' ? [{ customerToken: [] }] : route.access === 'bot' ? [{ bearer: [] }] : [{ bearer: [] }, { session: [] }];
    }
    if (route.body) {
      const content: Record<string, unknown> = { 'application/json': { schema: jsonSchema(route.body, 'input') } };
      for (const type of route.rawBody ?? []) content[type] = { schema: { type: 'string' } };
      operation.requestBody = { required: true, content };
    }
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token, or BATON_ADMIN_TOKEN' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        customerToken: { type: 'http', scheme: 'bearer', description: 'widget session token' },
      },
    },
  };
}
