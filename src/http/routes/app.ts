/**
 * The agent web app (web/app, built by `npm run build:app` into dist/web/app) served at `/`:
 * hashed assets cached for a year, index.html revalidated on every load, and every other GET
 * path that is not the API or an operations/widget endpoint answered with index.html so the
 * app's own URLs (`/conversations/:id`) survive a reload. Without a build, `/` says how to make
 * one (503), and the API keeps working — tests that never build the app are unaffected.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyReply } from 'fastify';
import { BatonError } from '../../platform/errors.js';
import { packageRoot } from '../../platform/package-root.js';
import { defineRoute, type AnyRoute } from '../route.js';

/** Where `vite build` writes the app (web/app/vite.config.ts). */
export const appBuildDir = (): string => join(packageRoot(), 'dist', 'web', 'app');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths that belong to someone else: never answered with the app's index.html. */
const NOT_THE_APP = [/^\/api(\/|$)/, /^\/widget\.js$/, /^\/demo(\/|$)/, /^\/rate(\/|$)/, /^\/healthz$/, /^\/readyz$/, /^\/metrics$/];

/**
 * The app's own documents can only load scripts and styles from this origin and talk to it
 * (fetch and the realtime WebSocket): customer text that slipped past escaping still could not
 * run a script or send data elsewhere.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const MISSING_BUILD =
  'The Baton agent app is not built.\n\n' +
  'Build it with `npm run build:app` (or `npm run build`, which `npm start` runs first), then reload.\n' +
  'The API is available meanwhile under /api (see /api/docs).\n';

async function fileIn(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const path = resolve(root, `.${decoded}`);
  // No way out of the build folder (`/../../etc/passwd`, encoded or not).
  if (path !== root && !path.startsWith(root + sep)) return null;
  try {
    return (await stat(path)).isFile() ? path : null;
  } catch {
    return null;
  }
}

async function sendIndex(root: string, reply: FastifyReply): Promise<FastifyReply> {
  let html: Buffer;
  try {
    html = await readFile(join(root, 'index.html'));
  } catch {
    return reply.status(503).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(MISSING_BUILD);
  }
  return reply
    .status(200)
    .header('content-type', CONTENT_TYPES['.html']!)
    .header('cache-control', 'no-cache')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .send(html);
}

export interface AppRouteOptions {
  /** The built app (default dist/web/app beside package.json). */
  readonly root?: string;
}

export function appRoutes(options: AppRouteOptions = {}): AnyRoute[] {
  const root = resolve(options.root ?? appBuildDir());
  return [
    defineRoute({
      method: 'GET',
      url: '/*',
      summary: 'The agent web app (static files, SPA fallback to index.html)',
      tags: ['app'],
      access: 'public',
      handler: async ({ request, reply }) => {
        const path = request.url.split('?')[0] ?? '/';
        // Unknown API (and other reserved) paths keep the API's JSON 404, not the app's HTML.
        if (NOT_THE_APP.some((pattern) => pattern.test(path))) throw new BatonError('not_found', `no route GET ${path}`);
        if (path === '/' || path === '/index.html') return sendIndex(root, reply);
        const file = await fileIn(root, path);
        if (file !== null) {
          const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
          // Vite names everything under /assets by content hash: it never changes under a URL.
          const immutable = path.startsWith('/assets/');
          return reply
            .status(200)
            .header('content-type', type)
            .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
            .header('x-content-type-options', 'nosniff')
            .send(await readFile(file));
        }
        // A missing asset is a 404, not the app: a stale tab must not parse HTML as a script.
        if (path.startsWith('/assets/') || extname(path) !== '') throw new BatonError('not_found', `no file ${path}`);
        return sendIndex(root, reply);
      },
    }),
  ];
}
