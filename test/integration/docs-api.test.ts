/**
 * docs/api.md names every operation the server has, and nothing it does not: the page is written
 * by hand, so this is what keeps it true when a route is added, renamed or removed.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PAGE = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
/** `GET /api/users/{id}` as the page writes operations, in backticks. */
const NAMED = /`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)`/g;

describe('docs/api.md', () => {
  let t: TestApp;
  let served: string[];

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    const document = await t.request({ method: 'GET', url: '/api/openapi.json' });
    const paths = document.data.paths as Record<string, Record<string, unknown>>;
    served = Object.entries(paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // Not in the document, which describes the API itself: the WebSocket, the document and its
    // page, the workspace schema and the operations endpoints. The page documents them all.
    const system = [
      'GET /api/realtime',
      'GET /api/openapi.json',
      'GET /api/docs',
      'GET /api/config/schema.json',
      'GET /healthz',
      'GET /readyz',
      'GET /metrics',
    ];
    for (const operation of system) {
      expect(served, `${operation} is in the OpenAPI document now: drop it from this list`).not.toContain(
        operation,
      );
      served.push(operation);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('names every operation of the OpenAPI document', () => {
    const named = new Set([...PAGE.matchAll(NAMED)].map((match) => `${match[1]} ${match[2]}`));
    expect(served.filter((operation) => !named.has(operation))).toEqual([]);
  });

  it('names no operation the server does not have', () => {
    const known = new Set(served);
    const named = [...PAGE.matchAll(NAMED)].map((match) => `${match[1]} ${match[2]}`);
    expect(named.filter((operation) => !known.has(operation))).toEqual([]);
  });

  it('links only to pages that exist', () => {
    const links = [...PAGE.matchAll(/\]\(([^)#]+\.md)(#[^)]*)?\)/g)].map((match) => match[1] ?? '');
    const missing = links.filter((link) => {
      try {
        readFileSync(new URL(`../../docs/${link}`, import.meta.url));
        return false;
      } catch {
        return true;
      }
    });
    expect(missing).toEqual([]);
  });
});
