import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStatus, Priority } from '../../src/contract/common.js';
import { createContact } from '../../src/store/repositories/contacts.js';
import { createConversation } from '../../src/store/repositories/conversations.js';
import { eachDialect, startTestApp, WEDNESDAY_MORNING, type TestApp } from '../support/test-app.js';

/**
 * The inbox views and filters of GET /api/conversations and GET /api/conversations/counts, on a
 * store holding exactly the conversations below (the docs/configuration.md example workspace: Ana is in the
 * billing team, Olu leads billing and is in oncall).
 */
interface Seed {
  readonly key: string;
  readonly status: ConversationStatus;
  readonly owner?: string;
  readonly team?: string;
  readonly queue?: string;
  readonly channel?: 'web-chat' | 'support-email';
  readonly priority?: Priority;
  readonly tags?: readonly string[];
  /** Minutes before the newest activity; each row its own, so the order is known. */
  readonly quietFor: number;
  /** Minutes before now the handoff happened (the unassigned line). */
  readonly handedOffAgo?: number;
}

const SEEDS: readonly Seed[] = [
  {
    key: 'anaChat',
    status: 'assigned',
    owner: 'ana',
    team: 'billing',
    queue: 'es-support',
    priority: 'high',
    tags: ['vip', 'refund'],
    quietFor: 1,
  },
  {
    key: 'anaEmail',
    status: 'waiting_on_customer',
    owner: 'ana',
    team: 'billing',
    queue: 'general',
    channel: 'support-email',
    tags: ['refund'],
    quietFor: 2,
  },
  { key: 'oluUrgent', status: 'assigned', owner: 'olu', team: 'oncall', priority: 'urgent', quietFor: 3 },
  {
    key: 'queuedLow',
    status: 'queued',
    team: 'billing',
    queue: 'general',
    priority: 'low',
    tags: ['vip'],
    quietFor: 4,
    handedOffAgo: 100,
  },
  {
    key: 'queuedUrgent',
    status: 'queued',
    team: 'billing',
    queue: 'es-support',
    priority: 'urgent',
    quietFor: 5,
    handedOffAgo: 50,
  },
  { key: 'queuedNormal', status: 'queued', queue: 'general', quietFor: 6, handedOffAgo: 200 },
  { key: 'bot', status: 'bot', quietFor: 7 },
  { key: 'botLookalikeTags', status: 'bot', tags: ['x"vip', 'VIP', 'vip2'], quietFor: 8 },
  { key: 'resolved', status: 'resolved', owner: 'ana', team: 'billing', tags: ['vip'], quietFor: 9 },
  { key: 'closed', status: 'closed', owner: 'olu', team: 'oncall', quietFor: 10 },
];

type Key = (typeof SEEDS)[number]['key'];

eachDialect('inbox views and counts', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;
  let olu: Record<string, string>;
  const ids = new Map<string, string>();
  const keyOf = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp(dialect);
    ana = await t.tokenFor('ana');
    olu = await t.tokenFor('olu');
    const db = t.baton.ctx.database.db;
    const now = WEDNESDAY_MORNING;
    for (const seed of SEEDS) {
      const contact = await createContact(db, { name: seed.key, now });
      const channel = seed.channel ?? 'web-chat';
      const created = await createConversation(db, {
        channelId: channel,
        channelType: channel === 'support-email' ? 'email' : 'chat',
        contactId: contact.id,
        priority: seed.priority ?? 'normal',
        tags: seed.tags ?? [],
        now,
      });
      // Routing state is written by the one writer in the product; here the test sets the world up directly.
      await db
        .updateTable('conversations')
        .set({
          status: seed.status,
          owner_id: seed.owner ?? null,
          team_id: seed.team ?? null,
          queue_id: seed.queue ?? null,
          handed_off_at: seed.handedOffAgo === undefined ? null : now - seed.handedOffAgo * 60_000,
          last_activity_at: now - seed.quietFor * 60_000,
        })
        .where('id', '=', created.id)
        .execute();
      ids.set(seed.key, created.id);
      keyOf.set(created.id, seed.key);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const list = async (headers: Record<string, string>, query: string) => {
    const response = await t.request({ method: 'GET', url: `/api/conversations?${query}`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.data as { items: { id: string }[]; nextCursor: string | null };
  };
  /** Every page, as seed keys in the order the server listed them. */
  const listAll = async (headers: Record<string, string>, query: string, limit = 200): Promise<string[]> => {
    const out: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page += 1) {
      const result = await list(
        headers,
        `${query}&limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      out.push(...result.items.map((c) => keyOf.get(c.id) ?? c.id));
      cursor = result.nextCursor;
      if (cursor === null) return out;
    }
    throw new Error('more than 50 pages');
  };
  const counts = async (headers: Record<string, string>, query = '') => {
    const response = await t.request({ method: 'GET', url: `/api/conversations/counts?${query}`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.data.views as Record<string, number>;
  };
  const keys = (...k: Key[]) => k;

  describe('refusals', () => {
    it('answers 401 without credentials and 403 to a customer token', async () => {
      expect((await t.request({ method: 'GET', url: '/api/conversations/counts' })).statusCode).toBe(401);
      const session = await t.request({
        method: 'POST',
        url: '/api/widget/sessions',
        payload: { channel: 'web-chat', contact: {} },
      });
      const customer = { authorization: `Bearer ${session.data.token as string}` };
      const refused = await t.request({ method: 'GET', url: '/api/conversations/counts', headers: customer });
      expect(refused.statusCode).toBe(403);
      expect(refused.data.error.code).toBe('forbidden');
      expect(
        (await t.request({ method: 'GET', url: '/api/conversations?view=mine', headers: customer }))
          .statusCode,
      ).toBe(403);
    });

    it('answers 422 naming an unknown view, priority or status', async () => {
      for (const [query, path] of [
        ['view=everything', 'view'],
        ['priority=asap', 'priority'],
        ['status=open', 'status'],
      ] as const) {
        for (const url of [`/api/conversations?${query}`, `/api/conversations/counts?${query}`]) {
          if (url.includes('counts') && path === 'view') continue;
          const bad = await t.request({ method: 'GET', url, headers: ana });
          expect(bad.statusCode, url).toBe(422);
          expect(bad.data.error.code).toBe('invalid');
          // Query fields are named `query.<field>`; the comma-separated status is parsed later, as `status`.
          const paths = (bad.data.error.details as { path: string }[]).map((d) => d.path);
          expect(
            paths.some((p) => p === path || p === `query.${path}`),
            paths.join(),
          ).toBe(true);
        }
      }
    });

    it("refuses a cursor written for another view's order", async () => {
      const activity = await list(ana, 'view=all&limit=1');
      expect(activity.nextCursor).not.toBeNull();
      const bad = await t.request({
        method: 'GET',
        url: `/api/conversations?view=unassigned&cursor=${encodeURIComponent(activity.nextCursor ?? '')}`,
        headers: ana,
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.data.error.details[0].path).toBe('cursor');
    });
  });

  it('describes the view, filters and counts in the OpenAPI document', async () => {
    const doc = await t.request({ method: 'GET', url: '/api/openapi.json' });
    // Each query field's zod description is its parameter schema's description.
    type Parameter = { name: string; in: string; schema: { description?: string } };
    const parameters = (path: string) =>
      new Map((doc.data.paths[path].get.parameters as Parameter[]).map((p) => [p.name, p]));
    const list = parameters('/api/conversations');
    for (const name of [
      'view',
      'status',
      'queue',
      'owner',
      'team',
      'channel',
      'priority',
      'tag',
      'cursor',
      'limit',
    ])
      expect(list.has(name), name).toBe(true);
    expect(list.get('view')?.schema.description).toContain('unassigned');
    expect(list.get('tag')?.schema.description).toContain('tag');
    expect(list.get('priority')?.schema.description).toContain('urgent');
    const counts = parameters('/api/conversations/counts');
    for (const name of ['status', 'queue', 'owner', 'team', 'channel', 'priority', 'tag'])
      expect(counts.has(name), name).toBe(true);
    expect(counts.has('view')).toBe(false);
    expect(
      Object.keys(
        doc.data.paths['/api/conversations/counts'].get.responses['200'].content['application/json'].schema
          .properties.views.properties,
      ),
    ).toEqual(['mine', 'unassigned', 'team', 'all', 'bot', 'resolved']);
  });

  describe('views', () => {
    it("shows Ana her open conversations only, never Olu's, newest activity first", async () => {
      expect(await listAll(ana, 'view=mine')).toEqual(keys('anaChat', 'anaEmail'));
      expect(await listAll(olu, 'view=mine')).toEqual(keys('oluUrgent'));
      // Asking for someone else's conversations inside "mine" finds nothing.
      expect(await listAll(ana, 'view=mine&owner=olu')).toEqual([]);
      expect(await listAll(ana, 'view=mine&owner=me')).toEqual(keys('anaChat', 'anaEmail'));
    });

    it('lines up the unassigned as the assigner takes them: urgent first, then longest waiting', async () => {
      expect(await listAll(ana, 'view=unassigned')).toEqual(
        keys('queuedUrgent', 'queuedNormal', 'queuedLow'),
      );
    });

    it("shows the teams' conversations with people to their members and leads", async () => {
      expect(await listAll(ana, 'view=team')).toEqual(
        keys('anaChat', 'anaEmail', 'queuedLow', 'queuedUrgent'),
      );
      expect(await listAll(olu, 'view=team')).toEqual(
        keys('anaChat', 'anaEmail', 'oluUrgent', 'queuedLow', 'queuedUrgent'),
      );
      expect(await listAll(ana, 'view=team&team=oncall')).toEqual([]);
      expect(await listAll(olu, 'view=team&team=oncall')).toEqual(keys('oluUrgent'));
    });

    it('separates the open, the bot-handled and the resolved', async () => {
      expect(await listAll(ana, 'view=all')).toEqual(
        keys(
          'anaChat',
          'anaEmail',
          'oluUrgent',
          'queuedLow',
          'queuedUrgent',
          'queuedNormal',
          'bot',
          'botLookalikeTags',
        ),
      );
      expect(await listAll(ana, 'view=bot')).toEqual(keys('bot', 'botLookalikeTags'));
      expect(await listAll(ana, 'view=resolved')).toEqual(keys('resolved', 'closed'));
      expect(await listAll(ana, '')).toHaveLength(SEEDS.length);
    });
  });

  describe('filters', () => {
    it('filters by channel, queue, priority and tag, alone and with a view', async () => {
      expect(await listAll(ana, 'channel=support-email')).toEqual(keys('anaEmail'));
      expect(await listAll(ana, 'queue=es-support')).toEqual(keys('anaChat', 'queuedUrgent'));
      expect(await listAll(ana, 'priority=urgent')).toEqual(keys('oluUrgent', 'queuedUrgent'));
      expect(await listAll(ana, 'view=all&priority=urgent')).toEqual(keys('oluUrgent', 'queuedUrgent'));
      expect(await listAll(ana, 'view=mine&tag=refund')).toEqual(keys('anaChat', 'anaEmail'));
      expect(await listAll(ana, 'view=unassigned&queue=general')).toEqual(keys('queuedNormal', 'queuedLow'));
      expect(await listAll(ana, 'view=all&status=queued')).toEqual(
        keys('queuedLow', 'queuedUrgent', 'queuedNormal'),
      );
      expect(await listAll(ana, 'view=bot&status=queued')).toEqual([]);
    });

    it('matches a tag exactly: not a longer tag, another case, or a tag containing it', async () => {
      expect(await listAll(ana, 'tag=vip')).toEqual(keys('anaChat', 'queuedLow', 'resolved'));
      expect(await listAll(ana, `tag=${encodeURIComponent('x"vip')}`)).toEqual(keys('botLookalikeTags'));
      expect(await listAll(ana, 'tag=vi')).toEqual([]);
    });
  });

  describe('pagination', () => {
    it('pages with the cursor across a filter without losing or repeating a row', async () => {
      const whole = await listAll(ana, 'view=all&channel=web-chat');
      expect(whole).toEqual(
        keys('anaChat', 'oluUrgent', 'queuedLow', 'queuedUrgent', 'queuedNormal', 'bot', 'botLookalikeTags'),
      );
      for (const limit of [1, 2, 3])
        expect(await listAll(ana, 'view=all&channel=web-chat', limit)).toEqual(whole);
      expect(await listAll(ana, 'tag=vip', 1)).toEqual(keys('anaChat', 'queuedLow', 'resolved'));
    });

    it('pages the unassigned line in its own order', async () => {
      expect(await listAll(ana, 'view=unassigned', 1)).toEqual(
        keys('queuedUrgent', 'queuedNormal', 'queuedLow'),
      );
      const first = await list(ana, 'view=unassigned&limit=2');
      expect(first.items).toHaveLength(2);
      expect(first.nextCursor).not.toBeNull();
    });
  });

  describe('counts', () => {
    it('counts each view for the caller', async () => {
      expect(await counts(ana)).toEqual({ mine: 2, unassigned: 3, team: 4, all: 8, bot: 2, resolved: 2 });
      expect(await counts(olu)).toEqual({ mine: 1, unassigned: 3, team: 5, all: 8, bot: 2, resolved: 2 });
    });

    it('counts under the same filters as the list, and each count matches its list', async () => {
      expect(await counts(ana, 'tag=vip')).toEqual({
        mine: 1,
        unassigned: 1,
        team: 2,
        all: 2,
        bot: 0,
        resolved: 1,
      });
      for (const who of [ana, olu]) {
        for (const filter of [
          '',
          'tag=vip',
          'channel=web-chat',
          'queue=general',
          'priority=urgent',
          'status=queued,assigned',
          'owner=none',
          'team=billing',
        ]) {
          const views = await counts(who, filter);
          for (const [view, n] of Object.entries(views)) {
            expect((await listAll(who, `view=${view}&${filter}`, 2)).length, `${view} ${filter}`).toBe(n);
          }
        }
      }
    });

    it('counts nothing of "mine" for an admin token that is not a person', async () => {
      expect((await counts(t.admin)).mine).toBe(0);
      expect(await listAll(t.admin, 'view=mine')).toEqual([]);
      expect(await listAll(t.admin, 'owner=me')).toEqual([]);
    });
  });
});
