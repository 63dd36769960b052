/**
 * Replay (POST /api/replay, `baton replay`): the past handoffs of a range decided again with a
 * ruleset — the draft, a published version, or (for the fidelity test) the version each handoff
 * ran — by the same `decideHandoff`, from what each handoff recorded (core/replay). Reads only;
 * the history is streamed from the store a page at a time, so a long range never sits in memory.
 *
 * Each handoff is decided in the workspace as it was (the configuration revision it recorded:
 * its people, teams, queues and schedules), with the agents' states it read.
 */
import { Ruleset, type WorkspaceConfig } from '../../contract/config.js';
import { flattenIssues } from '../../contract/issues.js';
import type { ReplayDecision, ReplayItem, ReplayRequest, ReplayResult } from '../../contract/replay-api.js';
import { HandoffDecisionInput, RecordedTrace } from '../../contract/trace.js';
import type { WorkspaceModel } from '../../core/model.js';
import { localDateRange } from '../../core/replay/replay-range.js';
import {
  replayHandoff,
  summarize,
  unreplayable,
  type DecisionSummary,
  type RecordedHandoff,
  type ReplayOutcome,
} from '../../core/replay/replay.js';
import { compileRuleset, type CompiledRuleset } from '../../core/rules/compile.js';
import { buildWorkspace } from '../../core/workspace.js';
import { BatonError } from '../../platform/errors.js';
import { getConfigRevision } from '../../store/repositories/config.js';
import {
  countHandedOffConversations,
  countHandoffsInRange,
  listHandoffHistory,
  type HandoffHistoryPosition,
} from '../../store/repositories/handoff-history.js';
import { getRulesetDraft, getRulesetVersion } from '../../store/repositories/rulesets.js';
import type { ServiceContext } from '../context.js';
import { resolveStoredConfig } from '../workspace/workspace-cache.js';

/** History rows read per page. */
const PAGE = 500;
/** Configuration revisions (and rulesets compiled in them) kept while one replay runs. */
const MAX_REVISIONS = 32;
/** Distinct from → to pairs counted; past this, further pairs are counted in `changed` only. */
const MAX_BY_CHANGE = 1_000;
/** Distinct skip reasons listed; past this, further ones are counted under OTHER_REASONS. */
const MAX_REASONS = 50;
const OTHER_REASONS = 'other reasons';

export interface ReplayOptions extends Omit<ReplayRequest, 'ruleset'> {
  /** `recorded`: each handoff with the version it ran (the fidelity check). */
  readonly ruleset: ReplayRequest['ruleset'] | 'recorded';
}

/** One replayed or skipped handoff, as the service saw it (tests read the full outcome). */
export type ReplayVisit = (outcome: ReplayOutcome) => void;

/** How far a replay is (`baton replay`'s progress bar). */
export interface ReplayProgress {
  /** Before the first page: how many handoffs the range holds (one count query, only when asked). */
  start(total: number): void;
  /** After each page: how many handoffs have been read so far. */
  advance(done: number): void;
}

export interface ReplayHooks {
  readonly visit?: ReplayVisit;
  readonly progress?: ReplayProgress;
}

export async function replayRuleset(
  ctx: ServiceContext,
  options: ReplayOptions,
  hooks: ReplayHooks = {},
): Promise<ReplayResult> {
  const { visit, progress } = hooks;
  const db = ctx.database.db;
  const current = await ctx.workspace.current(db);
  const { fromMs, toMs } = localDateRange(options.from, options.to, current.model.timezone);
  const after = options.cursor === undefined ? undefined : parseCursor(options.cursor);
  const chosen = await chooseRuleset(ctx, options.ruleset);

  const replay = handoffReplayer(ctx, chosen);

  const summary = { replayed: 0, changed: 0, unchanged: 0, skipped: 0 };
  const skippedReasons = new Map<string, number>();
  const byChange = new Map<string, { from: RuleAndDestination; to: RuleAndDestination; count: number }>();
  const items: { item: ReplayItem; position: HandoffHistoryPosition }[] = [];
  let more = false;
  let position: HandoffHistoryPosition | undefined;
  const filters = {
    fromMs,
    toMs,
    ...(options.channel === undefined ? {} : { channelId: options.channel }),
    ...(options.queue === undefined ? {} : { queueId: options.queue }),
  };

  if (progress !== undefined) progress.start(await countHandoffsInRange(db, filters));
  let read = 0;
  for (;;) {
    const page = await listHandoffHistory(db, {
      ...filters,
      limit: PAGE,
      ...(position === undefined ? {} : { after: position }),
    });
    for (const row of page) {
      const outcome = await replay(row);
      visit?.(outcome);
      if (outcome.kind === 'skipped') {
        summary.skipped++;
        const reason =
          skippedReasons.has(outcome.reason) || skippedReasons.size < MAX_REASONS
            ? outcome.reason
            : OTHER_REASONS;
        skippedReasons.set(reason, (skippedReasons.get(reason) ?? 0) + 1);
      } else {
        summary.replayed++;
        if (outcome.routingChanged) {
          summary.changed++;
          const from = ruleAndDestination(outcome.recorded);
          const to = ruleAndDestination(outcome.replayed);
          const key = JSON.stringify([from, to]);
          const entry = byChange.get(key);
          if (entry !== undefined) entry.count++;
          else if (byChange.size < MAX_BY_CHANGE) byChange.set(key, { from, to, count: 1 });
        } else summary.unchanged++;
      }
      const listed = options.all || (outcome.kind === 'replayed' && outcome.routingChanged);
      const afterCursor =
        after === undefined ||
        row.createdAt > after.createdAt ||
        (row.createdAt === after.createdAt && row.id > after.id);
      if (listed && afterCursor) {
        if (items.length < options.limit)
          items.push({ item: replayItemOf(outcome), position: { createdAt: row.createdAt, id: row.id } });
        else more = true;
      }
    }
    read += page.length;
    progress?.advance(read);
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    position = { createdAt: last.createdAt, id: last.id };
  }

  const conversations = await countHandedOffConversations(db, filters);
  const lastItem = items[items.length - 1];
  return {
    summary: {
      conversations,
      ...summary,
      byChange: [...byChange.values()].sort((a, b) => b.count - a.count),
      skippedReasons: [...skippedReasons]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count),
    },
    items: items.map((listed) => listed.item),
    nextCursor: more && lastItem !== undefined ? cursorOf(lastItem.position) : null,
  };
}

interface Revision {
  readonly config: WorkspaceConfig;
  readonly model: WorkspaceModel;
  /** Rulesets compiled against this revision's schedules and time zone, by version (0: its own rules, -1: the draft). */
  readonly compiled: Map<number, CompiledRuleset>;
}

export type Chosen =
  | {
      readonly kind: 'fixed';
      readonly ruleset: Ruleset;
      readonly version: number | null;
      readonly key: number;
    }
  | { readonly kind: 'recorded' };

export async function chooseRuleset(ctx: ServiceContext, which: ReplayOptions['ruleset']): Promise<Chosen> {
  if (which === 'recorded') return { kind: 'recorded' };
  const db = ctx.database.db;
  if (which === 'draft') {
    const draft = await getRulesetDraft(db);
    // No draft yet: the draft is the active rules (editing starts from them).
    const text = draft === null ? (await ctx.workspace.current(db)).config.handoff : draft.ruleset;
    const parsed = Ruleset.safeParse(text);
    if (!parsed.success) {
      throw new BatonError('invalid', 'the saved draft ruleset no longer validates', {
        details: flattenIssues(parsed.error.issues, ['ruleset']),
      });
    }
    return { kind: 'fixed', ruleset: parsed.data, version: null, key: -1 };
  }
  const stored = await getRulesetVersion(db, which);
  if (stored === null)
    throw new BatonError('not_found', `no ruleset version ${which}`, {
      details: [{ path: 'ruleset', message: `no ruleset version ${which}` }],
    });
  const parsed = Ruleset.safeParse(stored.ruleset);
  if (!parsed.success)
    throw new BatonError('invalid', `ruleset version ${which} no longer validates`, {
      details: flattenIssues(parsed.error.issues, ['ruleset']),
    });
  return { kind: 'fixed', ruleset: parsed.data, version: which, key: which };
}

/** A `handoff.completed` event as the history reads it. */
export interface HandoffRow {
  readonly conversationId: string;
  readonly seq: number;
  readonly createdAt: number;
  readonly data: unknown;
}

/**
 * Replays handoffs one after another with the chosen ruleset, keeping the configuration
 * revisions and the rulesets compiled in them (at most MAX_REVISIONS) between calls.
 */
export function handoffReplayer(
  ctx: ServiceContext,
  chosen: Chosen,
): (row: HandoffRow) => Promise<ReplayOutcome> {
  const db = ctx.database.db;
  const revisions = new Map<number, Revision | null>();
  const revision = async (id: number | null): Promise<Revision | null> => {
    if (id === null) return null;
    if (revisions.has(id)) return revisions.get(id) ?? null;
    if (revisions.size >= MAX_REVISIONS) revisions.clear();
    const stored = await getConfigRevision(db, id);
    let built: Revision | null = null;
    if (stored !== null) {
      try {
        const config = resolveStoredConfig(stored.document, ctx.processEnv);
        built = { config, model: buildWorkspace(config), compiled: new Map() };
      } catch {
        built = null;
      }
    }
    revisions.set(id, built);
    return built;
  };
  const versions = new Map<number, Ruleset | null>();
  const version = async (n: number): Promise<Ruleset | null> => {
    if (!versions.has(n)) {
      if (versions.size >= MAX_REVISIONS) versions.clear();
      const stored = await getRulesetVersion(db, n);
      const parsed = stored === null ? null : Ruleset.safeParse(stored.ruleset);
      versions.set(n, parsed?.success === true ? parsed.data : null);
    }
    return versions.get(n) ?? null;
  };
  return (row) => replayOne(row, chosen, revision, version);
}

async function replayOne(
  row: HandoffRow,
  chosen: Chosen,
  revision: (id: number | null) => Promise<Revision | null>,
  version: (n: number) => Promise<Ruleset | null>,
): Promise<ReplayOutcome> {
  const at = new Date(row.createdAt).toISOString();
  const data = (row.data ?? {}) as { trace?: unknown; input?: unknown };
  // Only what replay reads (RecordedTrace): not the evaluation list nor the candidates.
  const trace = RecordedTrace.safeParse(data.trace);
  if (!trace.success)
    return {
      kind: 'skipped',
      conversationId: row.conversationId,
      seq: row.seq,
      at,
      recorded: null,
      reason: 'the recorded trace does not parse',
    };
  const skip = (reason: string): ReplayOutcome => ({
    kind: 'skipped',
    conversationId: row.conversationId,
    seq: row.seq,
    at,
    recorded: summarize(trace.data),
    reason,
  });
  let input: HandoffDecisionInput | null = null;
  if (data.input !== undefined) {
    const parsed = HandoffDecisionInput.safeParse(data.input);
    if (!parsed.success) return skip('the recorded decision input does not parse');
    input = parsed.data;
  }
  const recorded: RecordedHandoff = {
    conversationId: row.conversationId,
    seq: row.seq,
    trace: trace.data,
    input,
  };
  const cannot = unreplayable(recorded);
  if (cannot !== null || input === null)
    return skip(cannot ?? 'recorded before replay kept the decision input');
  const workspace = await revision(input.revision);
  if (workspace === null) return skip(`configuration revision ${String(input.revision)} is missing`);

  let ruleset: Ruleset;
  let versionNumber: number | null;
  let key: number;
  if (chosen.kind === 'fixed') {
    ({ ruleset, version: versionNumber, key } = chosen);
  } else {
    versionNumber = trace.data.ruleVersion;
    if (versionNumber === null) {
      // Before any version was published, the workspace document's own rules ran.
      ruleset = workspace.config.handoff;
      key = 0;
    } else {
      const stored = await version(versionNumber);
      if (stored === null) return skip(`ruleset version ${versionNumber} is missing`);
      ruleset = stored;
      key = versionNumber;
    }
  }
  let compiled = workspace.compiled.get(key);
  if (compiled === undefined) {
    try {
      compiled = compileRuleset(
        ruleset,
        { schedules: workspace.model.schedules, timezone: workspace.model.timezone },
        versionNumber,
      );
    } catch (error) {
      return skip(
        `the ruleset does not compile in configuration revision ${String(input.revision)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    workspace.compiled.set(key, compiled);
  }
  return replayHandoff(recorded, workspace.model, compiled);
}

type RuleAndDestination = ReplayResult['summary']['byChange'][number]['from'];

function ruleAndDestination(decision: DecisionSummary | null): RuleAndDestination {
  return decision === null
    ? { rule: null, destination: null }
    : { rule: decision.rule, destination: decision.destination };
}

function decisionOf(decision: DecisionSummary): ReplayDecision {
  return {
    trigger: decision.trigger,
    rule: decision.rule,
    destination: decision.destination,
    assignee: decision.assignee,
    queue: decision.queue,
    team: decision.team,
    outcome: decision.outcome,
  };
}

/** An outcome as the API lists it. */
export function replayItemOf(outcome: ReplayOutcome): ReplayItem {
  if (outcome.kind === 'skipped') {
    return {
      conversationId: outcome.conversationId,
      seq: outcome.seq,
      at: outcome.at,
      recorded: outcome.recorded === null ? null : decisionOf(outcome.recorded),
      replayed: null,
      changed: [],
      skipped: outcome.reason,
    };
  }
  return {
    conversationId: outcome.conversationId,
    seq: outcome.seq,
    at: outcome.at,
    recorded: decisionOf(outcome.recorded),
    replayed: outcome.replayed === null ? null : decisionOf(outcome.replayed),
    changed: [...outcome.changed],
    skipped: null,
  };
}

function cursorOf(position: HandoffHistoryPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

function parseCursor(cursor: string): HandoffHistoryPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'number' &&
      typeof value[1] === 'string'
    )
      return { createdAt: value[0], id: value[1] };
  } catch {
    // fall through
  }
  throw new BatonError('invalid', 'cursor is not one this endpoint returned', {
    details: [{ path: 'cursor', message: 'not a cursor this endpoint returned' }],
  });
}
