/**
 * The API as its own description lists it (GET /api/openapi.json), and a credential for each kind
 * of caller: what the probes that walk every operation share (the authorization matrix, the fuzzer).
 */
import type { TestApp } from './test-app.js';

/** The parts of an OpenAPI operation the probes read. */
export interface OpenApiOperation {
  readonly parameters?: ReadonlyArray<{ readonly name: string; readonly in: string; readonly required?: boolean; readonly schema?: unknown }>;
  readonly requestBody?: { readonly content?: Readonly<Record<string, { readonly schema?: unknown }>> };
  readonly security?: unknown[];
}

export interface ApiOperation {
  /** `METHOD /path/{param}`, as the matrix's policy names it. */
  readonly key: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly operation: OpenApiOperation;
}

/** Every operation of /api/openapi.json, in the document's order. */
export async function apiOperations(t: TestApp): Promise<ApiOperation[]> {
  const document = await t.request({ method: 'GET', url: '/api/openapi.json' });
  const paths = document.data.paths as Record<string, Record<string, OpenApiOperation>>;
  return Object.entries(paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase() as ApiOperation['method'],
      path,
      operation,
    })),
  );
}

export type Caller = 'anonymous' | 'agent' | 'admin' | 'bot' | 'customer';

/**
 * A credential per caller on the example workspace: none; agent ana's and admin olu's API tokens;
 * a bot token for the web chat; a widget session's customer token on the web chat.
 */
export async function callerHeaders(t: TestApp): Promise<Record<Caller, Record<string, string>>> {
  const bot = await t.request({ method: 'POST', url: '/api/users/olu/tokens', headers: t.admin, payload: { name: 'probe bot', scopes: ['bot'], channels: ['web-chat'] } });
  const session = await t.request({ method: 'POST', url: '/api/widget/sessions', payload: { channel: 'web-chat', contact: { name: 'Probe' } } });
  if (bot.statusCode !== 201 && bot.statusCode !== 200) throw new Error(`bot token: ${bot.statusCode} ${bot.body}`);
  if (session.statusCode !== 201 && session.statusCode !== 200) throw new Error(`widget session: ${session.statusCode} ${session.body}`);
  return {
    anonymous: {},
    agent: await t.tokenFor('ana'),
    admin: await t.tokenFor('olu'),
    bot: { authorization: `Bearer ${bot.data.token as string}` },
    customer: { authorization: `Bearer ${session.data.token as string}` },
  };
}

/** The operation's path with made-up values: `{n}` a version number, `{channel}` the web chat, any other id `matrix-x`. */
export function placeholderUrl(path: string): string {
  return path.replace(/\{n\}/g, '1').replace(/\{channel\}/g, 'web-chat').replace(/\{[A-Za-z]+\}/g, 'matrix-x');
}
