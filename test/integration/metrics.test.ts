/**
 * The handoff view of /metrics (docs/monitoring.md), scraped with an admin token and read with a
 * strict parser of the text format: each counter and histogram moves once per committed event —
 * the checking mode runs every SQLite transaction body twice, so a count taken inside a body
 * would show double — and a rolled-back handoff counts nothing. Gauges are read at scrape time.
 */
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decideAndRecordHandoff } from '../../src/services/handoff/decide-and-record-handoff.js';
import { withTransaction } from '../../src/store/database.js';
import { enqueue } from '../../src/store/repositories/outbox.js';
import { OWNERSHIP_CONFIG } from '../support/ownership-desk.js';
import { parsePrometheusText, sampleValue, seriesOf, type Family } from '../support/prometheus-text.js';
import { eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;

const DASHBOARD = JSON.parse(
  readFileSync(new URL('../../docs/grafana/baton-handoffs.json', import.meta.url), 'utf8'),
) as {
  panels: { title: string; targets?: { expr: string }[] }[];
};

eachDialect('metrics: the handoff view', (dialect) => {
  let t: TestApp;
  let ana: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(dialect, { config: OWNERSHIP_CONFIG });
    ana = await t.tokenFor('ana');
  });
  afterAll(async () => {
    await t.close();
  });

  async function scrape(): Promise<Map<string, Family>> {
    const response = await t.request({ method: 'GET', url: '/metrics', headers: t.admin });
    expect(response.statusCode).toBe(200);
    return parsePrometheusText(response.body);
  }

  /** A widget customer with a conversation (with the AI agent); returns its id and their headers. */
  async function aCustomer(name: string): Promise<{ id: string; headers: Record<string, string> }> {
    const session = await t.request({
      method: 'POST',
      url: '/api/widget/sessions',
      payload: { channel: 'web-chat', contact: { name, language: 'en' } },
    });
    expect(session.statusCode).toBe(201);
    const headers = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({
      method: 'POST',
      url: '/api/widget/conversations',
      headers,
      payload: {},
    });
    return { id: started.data.conversation.id as string, headers };
  }

  async function asksForAPerson(name: string): Promise<string> {
    const { id, headers } = await aCustomer(name);
    const human = await t.request({ method: 'POST', url: `/api/widget/conversations/${id}/human`, headers });
    expect(human.statusCode).toBeLessThan(300);
    return id;
  }

  it('counts each handoff, wait in line, first human response and SLA breach once, after commit', async () => {
    // Everyone is away: the fallback puts Lucía in the General queue.
    const lucia = await asksForAPerson('Lucía');
    await t.baton.outbox.drain();
    let m = await scrape();
    expect(seriesOf(m, 'baton_handoffs_total')).toEqual({
      'queue=general,rule=fallback,trigger=customer_requested_human': 1,
    });
    expect(seriesOf(m, 'baton_handoff_outcomes_total')).toEqual({
      'outcome=assigned': 0,
      'outcome=queued': 1,
      'outcome=kept_owner': 0,
    });
    expect(seriesOf(m, 'baton_queue_waiting')).toEqual({ 'queue=general': 1 });
    expect(sampleValue(m, 'baton_queue_wait_seconds_count')).toBe(0);
    expect(sampleValue(m, 'baton_first_human_response_seconds_count')).toBe(0);

    // Ana takes her from the line after 90 s: one wait of 90 s.
    t.clock.advance(90 * SECOND);
    expect(
      (await t.request({ method: 'POST', url: `/api/conversations/${lucia}/claim`, headers: ana }))
        .statusCode,
    ).toBe(200);
    await t.baton.outbox.drain();
    m = await scrape();
    expect(sampleValue(m, 'baton_queue_wait_seconds_count')).toBe(1);
    expect(sampleValue(m, 'baton_queue_wait_seconds_sum')).toBe(90);
    expect(sampleValue(m, 'baton_queue_wait_seconds_bucket', { le: '60' })).toBe(0);
    expect(sampleValue(m, 'baton_queue_wait_seconds_bucket', { le: '120' })).toBe(1);
    expect(seriesOf(m, 'baton_queue_waiting')).toEqual({ 'queue=general': 0 });

    // A note does not answer the customer; the first public reply, 120 s after the handoff, does;
    // the second reply is not a first response.
    t.clock.advance(20 * SECOND);
    await t.request({
      method: 'POST',
      url: `/api/conversations/${lucia}/messages`,
      headers: ana,
      payload: { body: 'checking', private: true },
    });
    t.clock.advance(10 * SECOND);
    expect(
      (
        await t.request({
          method: 'POST',
          url: `/api/conversations/${lucia}/messages`,
          headers: ana,
          payload: { body: 'Hi Lucía, Ana here.' },
        })
      ).statusCode,
    ).toBe(201);
    t.clock.advance(10 * SECOND);
    await t.request({
      method: 'POST',
      url: `/api/conversations/${lucia}/messages`,
      headers: ana,
      payload: { body: 'Let me look.' },
    });
    await t.baton.outbox.drain();
    m = await scrape();
    expect(sampleValue(m, 'baton_first_human_response_seconds_count')).toBe(1);
    expect(sampleValue(m, 'baton_first_human_response_seconds_sum')).toBe(120);
    expect(sampleValue(m, 'baton_first_human_response_seconds_bucket', { le: '+Inf' })).toBe(1);

    // Bruno waits past General's 1 h first-response target: one breach; the rules re-route him
    // (trigger sla_breach, the fallback, General again). Lucía's timer finds her answered.
    await asksForAPerson('Bruno');
    await t.baton.outbox.drain();
    t.clock.advance(HOUR + SECOND);
    await t.baton.outbox.drain();
    m = await scrape();
    expect(seriesOf(m, 'baton_sla_breaches_total')).toEqual({ 'queue=general': 1 });
    expect(seriesOf(m, 'baton_handoffs_total')).toEqual({
      'queue=general,rule=fallback,trigger=customer_requested_human': 2,
      'queue=general,rule=fallback,trigger=sla_breach': 1,
    });
    expect(seriesOf(m, 'baton_handoff_outcomes_total')).toEqual({
      'outcome=assigned': 0,
      'outcome=queued': 3,
      'outcome=kept_owner': 0,
    });
    expect(seriesOf(m, 'baton_queue_waiting')).toEqual({ 'queue=general': 1 });
    // Nothing else moved: still one wait and one first response.
    expect(sampleValue(m, 'baton_queue_wait_seconds_count')).toBe(1);
    expect(sampleValue(m, 'baton_first_human_response_seconds_count')).toBe(1);
  });

  it('counts nothing for a handoff whose transaction rolled back', async () => {
    const before = await scrape();
    const { id } = await aCustomer('Carla');
    let wrote = false;
    await expect(
      withTransaction(t.baton.ctx.database, async (trx) => {
        const loaded = await t.baton.ctx.workspace.current(trx);
        const result = await decideAndRecordHandoff(trx, t.baton.ctx, loaded, {
          conversationId: id,
          trigger: 'customer_requested_human',
          soft: false,
          note: null,
          messageText: 'a person please',
          actor: 'system',
        });
        wrote = result.outcome === 'handed_off';
        throw new Error('rolled back after the handoff was written');
      }),
    ).rejects.toThrow('rolled back after the handoff was written');
    expect(wrote).toBe(true);
    await t.baton.outbox.drain();
    // The same handoff committed counts: the rolled-back one was a real one.
    const after = await scrape();
    for (const name of [
      'baton_handoffs_total',
      'baton_handoff_outcomes_total',
      'baton_queue_waiting',
      'baton_sla_breaches_total',
    ]) {
      expect(seriesOf(after, name)).toEqual(seriesOf(before, name));
    }
    const conversation = await t.request({ method: 'GET', url: `/api/conversations/${id}`, headers: ana });
    expect(conversation.data.status).toBe('bot');
  });

  it('reads the gauges at scrape time: outbox rows due per kind, dead rows, open realtime sockets', async () => {
    await t.baton.outbox.drain();
    const now = t.clock.now();
    const db = t.baton.ctx.database.db;
    // Two due now, one set for later (not due), one dead-lettered.
    await enqueue(db, { kind: 'notify.email', idempotencyKey: 'metrics-test:1', payload: {}, now });
    await enqueue(db, { kind: 'notify.email', idempotencyKey: 'metrics-test:2', payload: {}, now });
    await enqueue(db, {
      kind: 'notify.slack',
      idempotencyKey: 'metrics-test:later',
      payload: {},
      now,
      availableAt: now + HOUR,
    });
    const dead = await enqueue(db, {
      kind: 'notify.webhook',
      idempotencyKey: 'metrics-test:dead',
      payload: {},
      now,
    });
    await db
      .updateTable('outbox')
      .set({ status: 'dead', attempts: 8 })
      .where('id', '=', dead.id ?? '')
      .execute();

    await t.baton.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.baton.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const socket = new WebSocket(`ws://127.0.0.1:${address.port}/api/realtime`, { headers: ana });
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (raw) => {
        if ((JSON.parse((raw as Buffer).toString('utf8')) as { type: string }).type === 'stream.ready')
          resolve();
      });
      socket.on('error', reject);
    });
    try {
      const m = await scrape();
      expect(seriesOf(m, 'baton_outbox_pending')).toEqual({ 'kind=notify.email': 2 });
      expect(sampleValue(m, 'baton_outbox_dead')).toBe(1);
      expect(sampleValue(m, 'baton_realtime_connections')).toBe(1);
      expect(seriesOf(m, 'baton_queue_waiting')).toEqual({ 'queue=general': 1 });
    } finally {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    }
  });

  it('names only metrics /metrics serves in the sample Grafana dashboard', async () => {
    const m = await scrape();
    const exprs = DASHBOARD.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
    const named = new Set(
      exprs.flatMap((expr) => [...expr.matchAll(/\bbaton_[a-z_]+/g)].map((match) => match[0])),
    );
    const families = [...named]
      .map((name) => name.replace(/_(bucket|sum|count)$/, ''))
      .filter((name) => !m.has(name));
    expect(families).toEqual([]);
    // Every metric of the handoff view has a panel.
    for (const name of [
      'baton_handoffs_total',
      'baton_handoff_outcomes_total',
      'baton_first_human_response_seconds',
      'baton_queue_wait_seconds',
      'baton_sla_breaches_total',
      'baton_queue_waiting',
      'baton_outbox_pending',
      'baton_outbox_dead',
      'baton_realtime_connections',
    ]) {
      expect(m.get(name)?.type, name).toMatch(/^(counter|gauge|histogram)$/);
      expect(
        exprs.some((expr) => expr.includes(name)),
        `a panel for ${name}`,
      ).toBe(true);
    }
  });
});

eachDialect('metrics: a port of their own', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { env: { HOST: '127.0.0.1', BATON_METRICS_PORT: '0' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves /metrics without credentials on BATON_METRICS_PORT, bound to HOST, and nothing else there', async () => {
    const listener = t.baton.metricsListener;
    if (listener === null) throw new Error('no metrics listener');
    expect(listener.host).toBe('127.0.0.1');
    const metrics = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const families = parsePrometheusText(await metrics.text());
    expect(families.get('baton_handoffs_total')?.type).toBe('counter');
    expect((await fetch(`http://127.0.0.1:${listener.port}/api/conversations`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${listener.port}/metrics`, { method: 'POST' })).status).toBe(404);
    // The API's own /metrics still takes an admin's token.
    expect((await t.request({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
  });
});
