/**
 * POST /api/replay: a history where Spanish enterprise conversations went to es-support and the
 * others to general; a draft sending that rule to general moves exactly the Spanish ones.
 */
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { EXAMPLE_CONFIG, EXAMPLE_ENV, eachDialect, startTestApp, type TestApp } from '../support/test-app.js';

type Headers = Record<string, string>;

eachDialect('POST /api/replay', (dialect) => {
  let t: TestApp;
  const spanish: string[] = [];
  const english: string[] = [];
  let transferred = '';
  const today = (): string => new Date().toISOString().slice(0, 10);
  let day = '';

  async function handOff(name: string, es: boolean): Promise<{ id: string; customer: Headers }> {
    const contact = es
      ? { name, language: 'es', properties: { plan: 'enterprise' } }
      : { name, language: 'en' };
    const session = await t.request({
      method: 'POST',
      url: '/api/widget/sessions',
      payload: { channel: 'web-chat', contact },
    });
    const customer = { authorization: `Bearer ${session.data.token as string}` };
    const started = await t.request({
      method: 'POST',
      url: '/api/widget/conversations',
      headers: customer,
      payload: {},
    });
    const id = started.data.conversation.id as string;
    const human = await t.request({
      method: 'POST',
      url: `/api/widget/conversations/${id}/human`,
      headers: customer,
    });
    expect(human.statusCode, human.body).toBeLessThan(300);
    t.clock.advance(60_000);
    return { id, customer };
  }

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      config: EXAMPLE_CONFIG.replace('https://hooks.acme.test/baton', 'http://127.0.0.1:9/baton'),
    });
    day = new Date(t.clock.now()).toISOString().slice(0, 10);
    for (let i = 0; i < 3; i++) spanish.push((await handOff(`Sofía ${i}`, true)).id);
    for (let i = 0; i < 2; i++) english.push((await handOff(`Sam ${i}`, false)).id);
    transferred = english[1]!;
    const moved = await t.request({
      method: 'POST',
      url: `/api/conversations/${transferred}/assign`,
      headers: t.admin,
      payload: { queue: 'es-support' },
    });
    expect(moved.statusCode, moved.body).toBeLessThan(300);

    const draft = await t.request({ method: 'GET', url: '/api/ruleset/draft', headers: t.admin });
    const ruleset = draft.data.ruleset as { rules: { id: string; then: { destination: unknown } }[] };
    for (const rule of ruleset.rules)
      if (rule.id === 'enterprise-spanish') rule.then.destination = { queue: 'general' };
    const saved = await t.request({
      method: 'PUT',
      url: '/api/ruleset/draft',
      headers: t.admin,
      payload: ruleset,
    });
    expect(saved.statusCode, saved.body).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const replay = (payload: Record<string, unknown>, headers: Headers = t.admin) =>
    t.request({ method: 'POST', url: '/api/replay', headers, payload });

  it('shows the Spanish conversations moving from es-support to general, the others unchanged', async () => {
    const r = await replay({ ruleset: 'draft', from: day, to: day });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.data.summary).toEqual({
      conversations: 5,
      replayed: 5,
      changed: 3,
      unchanged: 2,
      skipped: 1,
      byChange: [
        {
          from: { rule: 'enterprise-spanish', destination: { queue: 'es-support' } },
          to: { rule: 'enterprise-spanish', destination: { queue: 'general' } },
          count: 3,
        },
      ],
      skippedReasons: [{ reason: 'decided by a transfer, not by the rules', count: 1 }],
    });
    expect((r.data.items as { conversationId: string }[]).map((i) => i.conversationId).sort()).toEqual(
      [...spanish].sort(),
    );
    expect(r.data.items[0]).toMatchObject({
      recorded: { rule: 'enterprise-spanish', destination: { queue: 'es-support' }, queue: 'es-support' },
      replayed: { rule: 'enterprise-spanish', destination: { queue: 'general' }, queue: 'general' },
      skipped: null,
    });
    expect(r.data.items[0].changed).toContain('destination');
    expect(r.data.nextCursor).toBeNull();
  });

  it('with all=true lists every handoff, the transfer skipped with its reason', async () => {
    const r = await replay({ ruleset: 'draft', from: day, to: day, all: true });
    expect(r.statusCode, r.body).toBe(200);
    const items = r.data.items as { conversationId: string; changed: string[]; skipped: string | null }[];
    expect(items).toHaveLength(6);
    for (const id of english)
      expect(items.find((i) => i.conversationId === id && i.skipped === null)?.changed).toEqual([]);
    expect(items.find((i) => i.skipped !== null)).toMatchObject({
      conversationId: transferred,
      skipped: 'decided by a transfer, not by the rules',
    });
  });

  it('replayed with the active version, nothing changes', async () => {
    const active = await t.request({ method: 'GET', url: '/api/ruleset', headers: t.admin });
    const r = await replay({ ruleset: active.data.version as number, from: day, to: day });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.data.summary).toMatchObject({ replayed: 5, changed: 0, unchanged: 5, skipped: 1 });
    expect(r.data.items).toEqual([]);
  });

  it('pages the items with a cursor, the summary always of the whole range', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const r = await replay({
        ruleset: 'draft',
        from: day,
        to: day,
        limit: 2,
        ...(cursor === undefined ? {} : { cursor }),
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.data.summary.changed).toBe(3);
      seen.push(...(r.data.items as { conversationId: string }[]).map((i) => i.conversationId));
      cursor = (r.data.nextCursor as string | null) ?? undefined;
      if (cursor === undefined) break;
    }
    expect(seen.sort()).toEqual([...spanish].sort());
  });

  it('narrows to a queue and a channel', async () => {
    const general = await replay({ ruleset: 'draft', from: day, to: day, queue: 'general' });
    expect(general.data.summary).toMatchObject({ conversations: 2, replayed: 2, changed: 0 });
    const email = await replay({ ruleset: 'draft', from: day, to: day, channel: 'support-email' });
    expect(email.data.summary).toMatchObject({ conversations: 0, replayed: 0, skipped: 0 });
  });

  it('POST /api/replay/handoff decides one listed handoff again: the recorded and the replayed trace', async () => {
    const listed = await replay({ ruleset: 'draft', from: day, to: day });
    const item = listed.data.items[0] as { conversationId: string; seq: number };
    const one = await t.request({
      method: 'POST',
      url: '/api/replay/handoff',
      headers: t.admin,
      payload: { ruleset: 'draft', conversationId: item.conversationId, seq: item.seq },
    });
    expect(one.statusCode, one.body).toBe(200);
    expect(one.data.item).toEqual(item);
    expect(one.data.recordedTrace).toMatchObject({
      rule: 'enterprise-spanish',
      destination: { queue: 'es-support' },
      queue: 'es-support',
    });
    expect(one.data.replayedTrace).toMatchObject({
      rule: 'enterprise-spanish',
      destination: { queue: 'general' },
      queue: 'general',
    });
    expect(one.data.replayedTrace.evaluated[0]).toMatchObject({ rule: 'enterprise-spanish', matched: true });

    // The transfer is skipped with its reason; the recorded trace is still shown.
    const all = await replay({ ruleset: 'draft', from: day, to: day, all: true });
    const skipped = (
      all.data.items as { seq: number; conversationId: string; skipped: string | null }[]
    ).find((i) => i.skipped !== null)!;
    const transfer = await t.request({
      method: 'POST',
      url: '/api/replay/handoff',
      headers: t.admin,
      payload: { ruleset: 'draft', conversationId: skipped.conversationId, seq: skipped.seq },
    });
    expect(transfer.statusCode, transfer.body).toBe(200);
    expect(transfer.data.item.skipped).toBe('decided by a transfer, not by the rules');
    expect(transfer.data.recordedTrace).not.toBeNull();
    expect(transfer.data.replayedTrace).toBeNull();

    const notAHandoff = await t.request({
      method: 'POST',
      url: '/api/replay/handoff',
      headers: t.admin,
      payload: { ruleset: 'draft', conversationId: item.conversationId, seq: 1 },
    });
    expect(notAHandoff.statusCode).toBe(404);
    const noSeq = await t.request({
      method: 'POST',
      url: '/api/replay/handoff',
      headers: t.admin,
      payload: { ruleset: 'draft', conversationId: item.conversationId },
    });
    expect(noSeq.statusCode).toBe(422);
    const agent = await t.request({
      method: 'POST',
      url: '/api/replay/handoff',
      headers: await t.tokenFor('ana'),
      payload: { ruleset: 'draft', conversationId: item.conversationId, seq: item.seq },
    });
    expect(agent.statusCode).toBe(403);
  });

  it('refuses bad requests with the usual 422, an unknown version with 404, and agents with 403', async () => {
    const backwards = await replay({ ruleset: 'draft', from: '2026-11-30', to: '2026-11-01' });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.data.error.details).toEqual([
      expect.objectContaining({ path: 'to', message: 'to is before from' }),
    ]);
    const tooLong = await replay({ ruleset: 'draft', from: '2025-01-01', to: '2026-11-30' });
    expect(tooLong.statusCode).toBe(422);
    const notADate = await replay({ ruleset: 'draft', from: '2026-02-30', to: today() });
    expect(notADate.statusCode).toBe(422);
    const badCursor = await replay({ ruleset: 'draft', from: day, to: day, cursor: 'nope' });
    expect(badCursor.statusCode).toBe(422);
    const missing = await replay({ ruleset: 999, from: day, to: day });
    expect(missing.statusCode).toBe(404);
    const agent = await replay({ ruleset: 'draft', from: day, to: day }, await t.tokenFor('ana'));
    expect(agent.statusCode).toBe(403);
  });

  it("shows a handoff's recorded decision input (every agent's state) to admins only on GET …/events", async () => {
    const id = spanish[0]!;
    const completed = async (headers: Headers) => {
      const r = await t.request({ method: 'GET', url: `/api/conversations/${id}/events`, headers });
      expect(r.statusCode, r.body).toBe(200);
      const events = r.data as { type: string; data: Record<string, unknown> }[];
      const event = events.find((e) => e.type === 'handoff.completed');
      expect(event).toBeDefined();
      return event!.data;
    };
    for (const admin of [t.admin, await t.tokenFor('olu')]) {
      const data = await completed(admin);
      expect(data.input).toMatchObject({ ruleset: 'active', agents: expect.objectContaining({ ana: expect.any(Object) }) });
    }
    // An agent reads why it was routed (the trace), not every colleague's status and load.
    const agent = await completed(await t.tokenFor('ana'));
    expect(agent).not.toHaveProperty('input');
    expect(agent.trace).toMatchObject({ rule: 'enterprise-spanish', queue: 'es-support' });
  });

  async function baton(
    args: string[],
    terminal?: CliIo['terminal'],
  ): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = {
      out: (text) => {
        out += text;
      },
      err: (text) => {
        err += text;
      },
      env: { ...EXAMPLE_ENV, LOG_LEVEL: 'silent', BATON_DEMO: '0', DATABASE_URL: t.url },
      cwd: process.cwd(),
      ...(terminal === undefined ? {} : { terminal }),
    };
    return { code: await main(args, io), out, err };
  }

  /** A terminal's stderr that keeps what the progress bar draws on it. */
  function aTerminal(isTTY: boolean): NonNullable<CliIo['terminal']>['stderr'] & { drawn: () => string } {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    return Object.assign(stream, { isTTY, columns: 120, drawn: () => chunks.join('') });
  }

  /** The bar's characters, or a terminal escape sequence. */
  const BAR = new RegExp(`[█░]|${String.fromCharCode(27)}\\[`);

  it('baton replay draws a progress bar on a terminal only: not when stdout is piped, not with --json', async () => {
    const args = ['replay', '--ruleset', 'draft', '--from', day, '--to', day];
    const onTerminal = aTerminal(true);
    const drawn = await baton(args, { stdout: { isTTY: true }, stderr: onTerminal });
    expect(drawn.code).toBe(0);
    // Six handoffs in the range (five by the rules, one transfer), counted before the first page.
    expect(onTerminal.drawn()).toContain('100% | 6/6 handoffs');
    expect(drawn.out).not.toMatch(BAR);
    expect(drawn.out).toMatch(/^changed\s+3$/m);

    const piped = aTerminal(true);
    const toPipe = await baton(args, { stdout: { isTTY: false }, stderr: piped });
    expect(toPipe.code).toBe(0);
    expect(piped.drawn()).toBe('');
    expect(toPipe.out).toBe(drawn.out);

    const json = aTerminal(true);
    const asJson = await baton([...args, '--json'], { stdout: { isTTY: true }, stderr: json });
    expect(json.drawn()).toBe('');
    expect(JSON.parse(asJson.out).summary).toMatchObject({ changed: 3, replayed: 5, skipped: 1 });
  });

  it('baton replay as a process with piped output: the summary and nothing drawn; --json is JSON alone; --fail-on-change exits 1', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
        const env: NodeJS.ProcessEnv = { ...process.env, ...EXAMPLE_ENV, LOG_LEVEL: 'silent', BATON_DEMO: '0', DATABASE_URL: t.url };
        execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'replay', ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null;
          done({ code, stdout, stderr });
        });
      });
    const args = ['--ruleset', 'draft', '--from', day, '--to', day];
    const [text, json, failing] = await Promise.all([run(args), run([...args, '--json']), run([...args, '--fail-on-change'])]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^changed\s+3$/m);
    expect(text.stdout).not.toMatch(BAR);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout).summary).toMatchObject({ changed: 3 });
    expect(failing.code, failing.stderr).toBe(1);
    expect(failing.stderr).toBe('');
  }, 90_000);

  it('baton replay prints the summary and what moves; --fail-on-change exits 1 only when something changes', async () => {
    const run = await baton(['replay', '--ruleset', 'draft', '--from', day, '--to', day]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^changed\s+3$/m);
    expect(run.out).toContain(
      '3  enterprise-spanish (queue es-support) → enterprise-spanish (queue general)',
    );
    expect(run.out).toContain('1  decided by a transfer, not by the rules');
    for (const id of spanish) expect(run.out).toContain(id);

    expect(
      (await baton(['replay', '--ruleset', 'draft', '--from', day, '--to', day, '--fail-on-change'])).code,
    ).toBe(1);
    const active = await t.request({ method: 'GET', url: '/api/ruleset', headers: t.admin });
    const same = await baton([
      'replay',
      '--ruleset',
      String(active.data.version as number),
      '--from',
      day,
      '--to',
      day,
      '--fail-on-change',
      '--json',
    ]);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.out).summary).toMatchObject({ changed: 0, replayed: 5 });

    const bad = await baton(['replay', '--ruleset', 'draft', '--from', day]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--to:');
  });
});
