/**
 * The authorization matrix (issue 17's probe, kept): every operation of /api/openapi.json, asked
 * by each kind of caller, answers as its declared policy says. A route added without a policy
 * here fails the test, so nobody ships an endpoint whose access nobody decided.
 *
 * "allowed" means the caller got past authentication and access (any status but 401 and 403:
 * with made-up ids and empty bodies most answer 404 or 422, which is the point — the request was
 * judged, not refused). Ownership, visibility and self-or-admin rules inside the services are
 * tested where they live (ownership.test.ts, auth-api.test.ts …); here the callers use made-up
 * ids, so those rules do not come into play.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiOperations, callerHeaders, placeholderUrl, type Caller } from '../support/api-operations.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

/** `self-or-admin`: a user's own things (tokens, notification preferences): that user or an admin. */
type Policy = 'public' | 'user' | 'user+bot' | 'self-or-admin' | 'admin' | 'customer' | 'bot';
type Answer = 'allowed' | 401 | 403;

const EXPECTED: Readonly<Record<Policy, Readonly<Record<Caller, Answer>>>> = {
  public: { anonymous: 'allowed', agent: 'allowed', admin: 'allowed', bot: 'allowed', customer: 'allowed' },
  user: { anonymous: 401, agent: 'allowed', admin: 'allowed', bot: 403, customer: 403 },
  'user+bot': { anonymous: 401, agent: 'allowed', admin: 'allowed', bot: 'allowed', customer: 403 },
  // The made-up user id is not the agent's own.
  'self-or-admin': { anonymous: 401, agent: 403, admin: 'allowed', bot: 403, customer: 403 },
  admin: { anonymous: 401, agent: 403, admin: 'allowed', bot: 403, customer: 403 },
  customer: { anonymous: 401, agent: 403, admin: 403, bot: 403, customer: 'allowed' },
  // A machine's endpoint: a bot token (or the bootstrap token), never a person's token.
  bot: { anonymous: 401, agent: 403, admin: 403, bot: 'allowed', customer: 403 },
};

/** Every operation's policy, decided by a person. Keep sorted. */
const POLICY: Readonly<Record<string, Policy>> = {
  'DELETE /api/channels/{id}': 'admin',
  'DELETE /api/knowledge/{id}': 'admin',
  'DELETE /api/queues/{id}': 'admin',
  'DELETE /api/saved-replies/{id}': 'user',
  'DELETE /api/schedules/{id}': 'admin',
  'DELETE /api/teams/{id}': 'admin',
  'DELETE /api/users/{id}': 'admin',
  'DELETE /api/users/{id}/tokens/{tokenId}': 'self-or-admin',
  'GET /api/audit': 'admin',
  'GET /api/channels': 'user',
  'GET /api/channels/{id}': 'user',
  'GET /api/config': 'admin',
  'GET /api/contacts': 'user',
  'GET /api/contacts/{id}': 'user',
  'GET /api/conversations': 'user',
  'GET /api/conversations/counts': 'user',
  'GET /api/conversations/{id}': 'user+bot',
  'GET /api/conversations/{id}/events': 'user',
  'GET /api/conversations/{id}/messages': 'user+bot',
  'GET /api/deliveries': 'admin',
  'GET /api/knowledge': 'user',
  'GET /api/knowledge/{id}': 'user',
  'GET /api/me': 'user',
  'GET /api/notifications': 'user',
  'GET /api/playbook': 'user',
  'GET /api/queues': 'user',
  'GET /api/queues/{id}': 'user',
  // Admins and team leads see every row; an agent only their own (groupBy=agent), else 403 — reports.test.ts.
  'GET /api/reports/handoffs': 'user',
  'GET /api/ruleset': 'user',
  'GET /api/ruleset/draft': 'admin',
  'GET /api/ruleset/versions': 'user',
  'GET /api/ruleset/versions/{n}': 'user',
  'GET /api/ruleset/versions/{n}/diff': 'user',
  'GET /api/saved-replies': 'user',
  'GET /api/schedules': 'user',
  'GET /api/schedules/{id}': 'user',
  'GET /api/setup': 'public',
  'GET /api/tasks': 'user',
  'GET /api/teams': 'user',
  'GET /api/teams/{id}': 'user',
  'GET /api/user-access': 'admin',
  'GET /api/users': 'user',
  'GET /api/users/{id}': 'user',
  'GET /api/users/{id}/notification-preferences': 'self-or-admin',
  'GET /api/users/{id}/tokens': 'self-or-admin',
  'GET /api/widget/conversations': 'customer',
  'GET /api/widget/conversations/{id}': 'customer',
  'GET /api/widget/conversations/{id}/messages': 'customer',
  'PATCH /api/channels/{id}': 'admin',
  'PATCH /api/conversations/{id}': 'user',
  'PATCH /api/knowledge/{id}': 'admin',
  'PATCH /api/queues/{id}': 'admin',
  'PATCH /api/saved-replies/{id}': 'user',
  'PATCH /api/schedules/{id}': 'admin',
  'PATCH /api/tasks/{id}': 'user',
  'PATCH /api/teams/{id}': 'admin',
  'PATCH /api/users/{id}': 'admin',
  'PATCH /api/users/{id}/status': 'user',
  'POST /api/auth/accept-invite': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'POST /api/bots/botframework/{channel}': 'bot',
  'POST /api/channels': 'admin',
  'POST /api/channels/{id}/inbound': 'admin',
  'POST /api/conversations': 'user',
  'POST /api/conversations/{id}/assign': 'user',
  'POST /api/conversations/{id}/claim': 'user',
  'POST /api/conversations/{id}/handback': 'user',
  'POST /api/conversations/{id}/handoff': 'user+bot',
  'POST /api/conversations/{id}/messages': 'user+bot',
  // The customer's app (in_app, api channels) gives its customer's rating: a user token or the channel's bot token.
  'POST /api/conversations/{id}/rating': 'user+bot',
  'POST /api/conversations/{id}/release': 'user',
  'POST /api/conversations/{id}/reopen': 'user',
  'POST /api/conversations/{id}/resolve': 'user',
  'POST /api/conversations/{id}/typing': 'user',
  'POST /api/conversations/{id}/wait': 'user',
  'POST /api/deliveries/{id}/retry': 'admin',
  'POST /api/knowledge': 'admin',
  'POST /api/notifications/read': 'user',
  'POST /api/queues': 'admin',
  'POST /api/replay': 'admin',
  'POST /api/replay/handoff': 'admin',
  'POST /api/ruleset/publish': 'admin',
  'POST /api/ruleset/review': 'admin',
  'POST /api/ruleset/versions/{n}/restore': 'admin',
  'POST /api/saved-replies': 'user',
  'POST /api/schedules': 'admin',
  'POST /api/setup': 'public',
  'POST /api/simulate': 'user',
  'POST /api/tasks': 'user',
  'POST /api/teams': 'admin',
  'POST /api/users': 'admin',
  'POST /api/users/{id}/deactivate': 'admin',
  'POST /api/users/{id}/invite': 'admin',
  'POST /api/users/{id}/reactivate': 'admin',
  'POST /api/users/{id}/reset-password': 'admin',
  'POST /api/users/{id}/tokens': 'admin',
  'POST /api/widget/conversations': 'customer',
  'POST /api/widget/conversations/{id}/human': 'customer',
  'POST /api/widget/conversations/{id}/messages': 'customer',
  'POST /api/widget/conversations/{id}/rating': 'customer',
  'POST /api/widget/conversations/{id}/typing': 'customer',
  'POST /api/widget/sessions': 'public',
  'PUT /api/config': 'admin',
  'PUT /api/ruleset/draft': 'admin',
  'PUT /api/users/me/password': 'user',
  // The body is judged before who may change whose preferences: an empty one is a 422 for anyone signed in.
  'PUT /api/users/{id}/notification-preferences': 'user',
};

eachDialect('the authorization matrix', (dialect) => {
  let t: TestApp;
  let operations: string[];
  let callers: Record<Caller, Record<string, string>>;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    operations = (await apiOperations(t)).map((operation) => operation.key);
    callers = await callerHeaders(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('declares a policy for every operation, and none for an operation that does not exist', () => {
    expect(operations.filter((operation) => POLICY[operation] === undefined)).toEqual([]);
    expect(Object.keys(POLICY).filter((operation) => !operations.includes(operation))).toEqual([]);
  });

  it('lets the bootstrap token (BATON_ADMIN_TOKEN) through every admin and bot operation', async () => {
    const refused: string[] = [];
    for (const operation of operations) {
      const policy = POLICY[operation];
      if (policy !== 'admin' && policy !== 'bot') continue;
      const [method = 'GET', path = '/'] = operation.split(' ');
      const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
      const response = await t.request({
        method: method,
        url: placeholderUrl(path),
        headers: { ...t.admin, ...(withBody ? { 'content-type': 'application/json' } : {}) },
        ...(withBody ? { payload: '{}' } : {}),
      });
      if (response.statusCode === 401 || response.statusCode === 403 || response.statusCode >= 500) refused.push(`${operation}: ${response.statusCode}`);
    }
    expect(refused).toEqual([]);
  });

  it('answers every operation × caller as the policy says', async () => {
    const wrong: string[] = [];
    let asked = 0;
    for (const operation of operations) {
      const policy = POLICY[operation];
      if (policy === undefined) continue;
      const [method = 'GET', path = '/'] = operation.split(' ');
      const url = placeholderUrl(path);
      const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
      for (const caller of Object.keys(callers) as Caller[]) {
        const response = await t.request({
          method: method,
          url,
          headers: { ...callers[caller], ...(withBody ? { 'content-type': 'application/json' } : {}) },
          ...(withBody ? { payload: '{}' } : {}),
        });
        asked += 1;
        const expected = EXPECTED[policy][caller];
        const got = response.statusCode;
        const ok = expected === 'allowed' ? got !== 401 && got !== 403 : got === expected;
        if (!ok || got >= 500) wrong.push(`${operation} as ${caller}: expected ${expected}, got ${got} ${response.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(asked).toBe(operations.length * 5);
  });
});
