/**
 * Replay (issue 19): 100,000 past handoffs decided again with a 500-rule draft, on SQLite and
 * PostgreSQL, through the service POST /api/replay and `baton replay` run (replayRuleset), in
 * conversations per second — beside the in-process decision rate of `decideHandoff` on the same
 * workspace with the same draft, measured in the same run the way bench/routing.ts does. The goal:
 * replay ≥ 0.25 × that rate (replay is bound by its decisions, not by reading history).
 *
 * The world is bench/routing.ts's (500 rules, 20 teams, 50 queues, 5 schedules, 4 channels, the
 * same seeded facts) with 100 agents instead of 2,000: each handoff records every agent's state
 * (`data.input`), and 100,000 handoffs of a 2,000-agent desk would be ~20 GB of history per store.
 * The workspace is applied through the service (one configuration revision, ruleset version 1);
 * the history is written straight through the store, the way the live path records it: per
 * handoff a contact, a conversation and its `handoff.completed` event whose data is
 * `{trace, reason, input}` — the trace from `decideHandoff` with the active rules and the input
 * from `recordDecisionInput` (core/replay), at instants spread over two weeks. The draft is the
 * active rules with every tenth rule's destination moved elsewhere, so some conversations change.
 *
 * `npm run bench -- replay`; `BENCH_REPLAY_HANDOFFS=10000` for a smaller history,
 * `BENCH_REPLAY_DIALECTS=sqlite` for one store. PostgreSQL at BATON_TEST_PG_URL or
 * postgres://postgres@127.0.0.1:5432.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { exportConfig } from '../src/config/export-config.js';
import { parseConfigText } from '../src/config/parse-config-text.js';
import type { Rule } from '../src/contract/config.js';
import { decideHandoff, type HandoffInput } from '../src/core/handoff.js';
import type { QueueStats } from '../src/core/model.js';
import { recordDecisionInput } from '../src/core/replay/replay.js';
import { compileRuleset, type CompiledRuleset } from '../src/core/rules/compile.js';
import { parseEnv } from '../src/platform/env.js';
import { openStandaloneContext, type StandaloneContext } from '../src/services/open-standalone-context.js';
import { replayRuleset } from '../src/services/rulesets/replay-ruleset.js';
import { applyValidatedConfig } from '../src/services/workspace/apply-validated-config.js';
import { withTransaction, type Dialect } from '../src/store/database.js';
import { getCurrentConfig } from '../src/store/repositories/config.js';
import { saveRulesetDraft } from '../src/store/repositories/rulesets.js';
import { isMain, Rng, round, writeResult } from './lib.js';
import { buildWorld, makeSamples, SEED, type World } from './routing.js';

const HANDOFFS = Number(process.env.BENCH_REPLAY_HANDOFFS ?? 100_000);
const DIALECTS = (process.env.BENCH_REPLAY_DIALECTS ?? 'sqlite,postgres').split(',') as Dialect[];
const PG_URL = process.env.BATON_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const AGENTS = 100;
const BATCH = 5_000;
const DECISIONS = 20_000;
const WARMUP_DECISIONS = 5_000;
const GOAL_RATIO = 0.25;
/** The two weeks bench/routing.ts's facts fall in (from 2026-11-23), in the workspace's zone, with a day either side. */
const RANGE = { from: '2026-11-22', to: '2026-12-08' } as const;
const CHANNEL_TYPES: Readonly<Record<string, string>> = { 'web-chat': 'chat', 'support-email': 'email', 'in-app': 'in_app', 'public-api': 'api' };

/** The active rules with every tenth rule sent somewhere else: the draft being tested. */
function draftOf(rules: readonly Rule[], rng: Rng): Rule[] {
  return rules.map((rule, index) => {
    if (index % 10 !== 3) return rule;
    const destination = rng.chance(0.5) ? { queue: `general-${rng.pick(['en', 'es', 'pt', 'fr', 'de'])}` } : { team: `team-${String(rng.int(0, 19)).padStart(2, '0')}` };
    return { ...rule, then: { ...rule.then, destination } };
  });
}

interface Timed {
  readonly perSecond: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

/** decideHandoff over fresh facts, timed as one loop (routing.ts's throughput: calls ÷ wall time). */
function decisionRate(world: World, model: HandoffInput['workspace'], ruleset: CompiledRuleset, seed: number): Timed {
  const warm = makeSamples(new Rng(seed), world, WARMUP_DECISIONS);
  for (const sample of warm) decideHandoff({ ...sample.input, workspace: model, ruleset });
  const inputs = makeSamples(new Rng(seed + 1), world, DECISIONS).map((sample) => ({ ...sample.input, workspace: model, ruleset }));
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (const input of inputs) decideHandoff(input);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { perSecond: Math.round(inputs.length / seconds), seconds: round(seconds, 3), cpuSeconds: round((used.user + used.system) / 1e6, 3) };
}

interface Seeded {
  readonly handoffs: number;
  readonly seconds: number;
  readonly meanEventBytes: number;
}

/** The history: contacts, conversations and `handoff.completed` events, `BATCH` handoffs a transaction. */
async function seed(ctx: StandaloneContext, world: World, revision: number): Promise<Seeded> {
  const started = Date.now();
  const loaded = await ctx.workspace.current();
  let handoffs = 0;
  let bytes = 0;
  const statsOf = (place: string): QueueStats => world.stats.get(place) ?? { waiting: 0, recentFirstResponseSeconds: null };
  for (let first = 0; first < HANDOFFS; first += BATCH) {
    const samples = makeSamples(new Rng(SEED + 1_000 + first), world, Math.min(BATCH, HANDOFFS - first));
    const contacts: Record<string, unknown>[] = [];
    const conversations: Record<string, unknown>[] = [];
    const events: Record<string, unknown>[] = [];
    samples.forEach((sample, offset) => {
      const n = first + offset;
      const id = `c${n}`;
      const contactId = `k${n}`;
      const base = sample.input;
      const input: HandoffInput = {
        ...base,
        workspace: loaded.model,
        ruleset: loaded.ruleset,
        conversation: { ...base.conversation, id },
        contact: { ...base.contact, id: contactId },
      };
      const trace = decideHandoff(input);
      if (trace === null) return; // a soft trigger no rule took: no handoff happened
      const place = trace.queue ?? trace.team;
      const data = JSON.stringify({
        trace,
        reason: 'handoff',
        input: recordDecisionInput(input, { revision, ruleset: 'active', stats: place === null ? null : { place, stats: statsOf(place) } }),
      });
      bytes += data.length;
      handoffs += 1;
      const c = input.conversation;
      const k = input.contact;
      contacts.push({
        id: contactId,
        name: k.name,
        email: k.email,
        language: k.language,
        timezone: k.timezone,
        properties: JSON.stringify(k.properties),
        created_at: input.now - 60_000,
        updated_at: input.now - 60_000,
      });
      conversations.push({
        id,
        channel_id: c.channelId,
        channel_type: CHANNEL_TYPES[c.channelId] ?? 'chat',
        contact_id: contactId,
        status: trace.outcome === 'assigned' ? 'assigned' : 'queued',
        owner_id: trace.assignee,
        team_id: trace.team,
        queue_id: trace.queue,
        priority: trace.priority,
        tags: JSON.stringify(trace.tags),
        properties: JSON.stringify(c.properties),
        language: c.language,
        intent: c.intent,
        subject: null,
        followers: '[]',
        handed_off_at: input.now,
        queued_at: trace.outcome === 'queued' ? input.now : null,
        first_response_due_at: null,
        first_human_response_at: null,
        last_article_id: null,
        version: 2,
        created_at: input.now - 60_000,
        updated_at: input.now,
        last_activity_at: input.now,
        resolved_at: null,
        csat_score: null,
        csat_comment: null,
        resolution_seq: null,
        csat_resolution_seq: null,
        promised_wait_seconds: null,
        promised_at_position: null,
        previous_conversation_id: null,
      });
      events.push({
        id: `e${n}`,
        conversation_id: id,
        seq: 1,
        type: 'handoff.completed',
        actor: 'system',
        data,
        owner_id: trace.assignee,
        team_id: trace.team,
        queue_id: trace.queue,
        created_at: input.now,
      });
    });
    await withTransaction(ctx.database, async (trx) => {
      for (let i = 0; i < contacts.length; i += 500) await trx.insertInto('contacts').values(contacts.slice(i, i + 500) as never).execute();
      for (let i = 0; i < conversations.length; i += 500) await trx.insertInto('conversations').values(conversations.slice(i, i + 500) as never).execute();
      for (let i = 0; i < events.length; i += 100) await trx.insertInto('conversation_events').values(events.slice(i, i + 100) as never).execute();
    });
  }
  await sql`analyze`.execute(ctx.database.db);
  return { handoffs, seconds: round((Date.now() - started) / 1000, 1), meanEventBytes: Math.round(bytes / Math.max(1, handoffs)) };
}

async function runOn(dialect: Dialect, world: World, yaml: string, draft: readonly Rule[]) {
  let url: string;
  let cleanup: () => Promise<void>;
  let sizeOf: () => number | null = () => null;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'baton-bench-replay-'));
    const file = path.join(dir, 'baton.db');
    url = `sqlite:${file}`;
    sizeOf = () => statSync(file).size;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `baton_bench_replay_${process.pid}`;
    const admin = new pg.Client({ connectionString: `${PG_URL}/postgres` });
    await admin.connect();
    await admin.query(`create database ${name}`);
    url = `${PG_URL}/${name}`;
    cleanup = async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const processEnv = { DATABASE_URL: url, BATON_DEMO: '0', LOG_LEVEL: 'silent' };
  try {
    const ctx = await openStandaloneContext({ env: parseEnv(processEnv), processEnv });
    try {
      const parsed = parseConfigText(yaml, 'yaml', processEnv);
      if (!parsed.ok) throw new Error(`bench workspace is invalid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      await applyValidatedConfig(ctx, { raw: parsed.raw, actor: 'bench' });
      const revision = (await getCurrentConfig(ctx.database.db))!.id;
      const seeded = await seed(ctx, world, revision);
      const loaded = await ctx.workspace.current();
      await withTransaction(ctx.database, (trx) => saveRulesetDraft(trx, { ruleset: { ...loaded.config.handoff, rules: draft }, updatedBy: 'bench', now: Date.now() }));
      console.log(`   ${dialect}: ${seeded.handoffs.toLocaleString('en')} handoffs seeded in ${seeded.seconds} s (mean event ${seeded.meanEventBytes} bytes)`);

      const draftCompiled = compileRuleset({ ...loaded.config.handoff, rules: [...draft] }, { schedules: loaded.model.schedules, timezone: loaded.model.timezone }, null);
      const before = decisionRate(world, loaded.model, draftCompiled, SEED + 7);
      // Warm-up: one day of the range, then the whole range timed.
      await replayRuleset(ctx, { ruleset: 'draft', from: '2026-11-23', to: '2026-11-23', limit: 100, all: false });
      const load = os.loadavg().map((value) => round(value, 2));
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      const result = await replayRuleset(ctx, { ruleset: 'draft', from: RANGE.from, to: RANGE.to, limit: 100, all: false });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const used = process.cpuUsage(cpu);
      const after = decisionRate(world, loaded.model, draftCompiled, SEED + 9);
      const handled = result.summary.replayed + result.summary.skipped;
      if (handled !== seeded.handoffs) throw new Error(`replay read ${handled} handoffs of ${seeded.handoffs}`);
      const replay = { perSecond: Math.round(handled / seconds), seconds: round(seconds, 2), cpuSeconds: round((used.user + used.system) / 1e6, 3) };
      const decisionsPerSecond = Math.round((before.perSecond + after.perSecond) / 2);
      const ratio = round(replay.perSecond / decisionsPerSecond, 3);
      // The same ratio from this process's CPU time: what the other processes' load cannot inflate.
      const replayCpuUs = round((replay.cpuSeconds * 1e6) / handled, 1);
      const decisionCpuUs = round(((before.cpuSeconds + after.cpuSeconds) * 1e6) / (2 * DECISIONS), 1);
      const cpuRatio = round(decisionCpuUs / replayCpuUs, 3);
      console.log(
        `   ${dialect}: replay ${replay.perSecond.toLocaleString('en')} conversations/s (${replay.seconds} s, CPU ${replay.cpuSeconds} s); decideHandoff ${before.perSecond.toLocaleString('en')} before, ${after.perSecond.toLocaleString('en')} after → ratio ${ratio} (goal ≥ ${GOAL_RATIO}); CPU per conversation ${replayCpuUs} µs vs per decision ${decisionCpuUs} µs → CPU ratio ${cpuRatio}; load ${load.join(' ')}`,
      );
      const { byChange, ...counts } = result.summary;
      return {
        seeded: { ...seeded, databaseBytes: sizeOf() },
        replay,
        summary: { ...counts, distinctMoves: byChange.length },
        decideHandoff: { before, after, meanPerSecond: decisionsPerSecond },
        ratio: { replayOverDecisions: ratio, goal: GOAL_RATIO, met: ratio >= GOAL_RATIO },
        cpu: {
          note: 'CPU time of this process (user + system) per replayed conversation and per decision; the ratio is decision ÷ replay, i.e. the rates CPU alone allows',
          replayPerConversationUs: replayCpuUs,
          decideHandoffPerDecisionUs: decisionCpuUs,
          ratio: cpuRatio,
        },
        loadAverage1m5m15mAtReplay: load,
      };
    } finally {
      await ctx.close();
    }
  } finally {
    await cleanup();
  }
}

export async function run(): Promise<void> {
  const world = buildWorld(new Rng(SEED), AGENTS);
  // routing.ts's world is decided in memory; stored, two of its details are refused: a general
  // queue that overflows to itself, and an email channel without the address it receives at.
  const config = world.built.config;
  const yaml = exportConfig({
    ...config,
    queues: config.queues.map((queue) => (queue.overflow?.to === queue.id ? { ...queue, overflow: undefined } : queue)),
    channels: config.channels.map((channel) => (channel.type === 'email' ? { ...channel, address: 'support@bench.test' } : channel)),
  });
  const draft = draftOf(world.rules, new Rng(SEED + 19));
  const loadBefore = os.loadavg().map((value) => round(value, 2));
  const byDialect: Record<string, unknown> = {};
  for (const dialect of DIALECTS) {
    byDialect[dialect] = await runOn(dialect, world, yaml, draft);
    const file = writeResult(process.env.BENCH_REPLAY_NAME ?? 'replay', {
      parameters: {
        seed: SEED,
        handoffs: HANDOFFS,
        workspace: { agents: AGENTS, teams: 20, queues: 50, schedules: 5, channels: 4, rules: world.rules.length, draftRulesMoved: draft.filter((rule, i) => rule !== world.rules[i]).length },
        range: `${RANGE.from}..${RANGE.to} (Europe/Madrid); handoffs over two weeks from 2026-11-23`,
        replay: 'replayRuleset (the service of POST /api/replay and baton replay), ruleset draft, the whole range in one call (items: the first 100 changed); a one-day replay first as warm-up',
        decisions: `decideHandoff with the same draft on the same workspace model: ${WARMUP_DECISIONS} warm-up then ${DECISIONS} fresh facts timed as one loop, before and after the replay; the ratio uses their mean`,
      },
      machineLoad: { loadAverage1m5m15mAtStart: loadBefore, note: 'other processes share these cores' },
      dialects: byDialect,
    });
    console.log(`   wrote ${file}`);
  }
}

if (isMain(import.meta.url)) await run();
