/**
 * Run a scenario (docs/configuration.md "Simulation scenarios") against the live workspace, changing nothing
 *: the workspace, a ruleset (active, draft or a version), the agents as they are
 * now with the scenario's overrides, and the queues' live statistics are read — never written, no
 * transaction is opened — and `core/simulate` decides with the code the live path runs.
 */
import { nestingProblem } from '../../platform/nesting.js';
import { readYamlOffThread } from '../../config/parse-off-thread.js';
import { Scenario, type SimulationResult } from '../../contract/api.js';
import { ChannelType, type ErrorDetail } from '../../contract/common.js';
import { Ruleset } from '../../contract/config.js';
import { flattenIssues } from '../../contract/issues.js';
import type { QueueStats } from '../../core/model.js';
import { AgentStates } from '../../core/routing/agent-states.js';
import type { CompiledRuleset } from '../../core/rules/compile.js';
import { applyAgentOverrides, simulateScenario as simulate } from '../../core/simulate.js';
import { BatonError } from '../../platform/errors.js';
import { loadAgentStates, queueStats } from '../../store/repositories/routing.js';
import { getRulesetDraft } from '../../store/repositories/rulesets.js';
import type { ServiceContext } from '../context.js';

/** An ISO 8601 date-time with an explicit offset: a zone-less time would depend on the server's zone. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

export async function simulateScenario(ctx: ServiceContext, scenario: Scenario): Promise<SimulationResult> {
  const problems: ErrorDetail[] = [];
  const now = scenarioInstant(scenario.at, ctx.clock.now(), problems);

  const db = ctx.database.db;
  const current = await ctx.workspace.current(db);
  const { model } = current;

  if (!model.channels.has(scenario.channel)) {
    problems.push({ path: 'channel', message: `unknown channel "${scenario.channel}" (channels: ${[...model.channels.keys()].join(', ')})` });
  }
  const knownUser = (path: string, id: string | null | undefined): void => {
    if (id !== null && id !== undefined && !model.users.has(id)) problems.push({ path, message: `unknown user "${id}"` });
  };
  knownUser('contact.owner', scenario.contact.owner);
  knownUser('conversation.owner', scenario.conversation?.owner);
  for (const [userId, override] of Object.entries(scenario.agents ?? {})) {
    knownUser(`agents.${userId}`, userId);
    for (const type of Object.keys(override.load ?? {})) {
      if (!ChannelType.safeParse(type).success) {
        problems.push({ path: `agents.${userId}.load.${type}`, message: `unknown channel type "${type}" (${ChannelType.options.join(', ')})` });
      }
    }
  }
  if (problems.length > 0) throw invalidScenario(problems);

  const chosen = await chooseRuleset(ctx, scenario.ruleset, current.ruleset, current.rulesetVersion);

  const userIds = [...model.users.keys()];
  const configuredStatus = new Map(current.config.users.map((user) => [user.id, user.status]));
  const live = await loadAgentStates(db, userIds, { initialStatus: (id) => configuredStatus.get(id) ?? 'available' });
  const agents = applyAgentOverrides(new AgentStates(model, live), scenario.agents);

  // decideHandoff asks for statistics synchronously: read every place's once, up front. A queue
  // and a team sharing an id resolve to the queue, the place a routed conversation waits in.
  const stats = new Map<string, QueueStats>();
  for (const teamId of model.teams.keys()) stats.set(teamId, await queueStats(db, { teamId }));
  for (const queueId of model.queues.keys()) stats.set(queueId, await queueStats(db, { queueId }));

  return simulate(scenario, {
    now,
    workspace: model,
    ruleset: chosen.ruleset,
    rulesetLabel: chosen.label,
    assistant: current.assistant,
    agents,
    queueStats: (placeId) => stats.get(placeId) ?? { waiting: 0, recentFirstResponseSeconds: null },
  });
}

/**
 * A scenario written as YAML (or JSON, which is YAML too): every problem with its path — syntax
 * errors with their line — as a 422.
 */
export async function parseScenarioText(text: string): Promise<Scenario> {
  // A scenario may be a megabyte (50 messages of 20,000 characters): read off the thread.
  const read = await readYamlOffThread(text);
  if (!read.ok) {
    throw invalidScenario(
      read.problems.map((problem) => ({
        path: '(root)',
        message: problem.line === undefined ? problem.message : `line ${problem.line}, column ${problem.column ?? 1}: ${problem.message}`,
      })),
    );
  }
  return parseScenarioValue(read.value);
}

export function parseScenarioValue(value: unknown): Scenario {
  const shape = nestingProblem(value);
  if (shape) throw invalidScenario([shape]);
  const parsed = Scenario.safeParse(value ?? {});
  if (!parsed.success) throw invalidScenario(flattenIssues(parsed.error.issues));
  return parsed.data;
}

function invalidScenario(details: ErrorDetail[]): BatonError {
  return new BatonError('invalid', `invalid scenario: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, { details });
}

function scenarioInstant(at: Scenario['at'], fallback: number, problems: ErrorDetail[]): number {
  if (at === undefined) return fallback;
  // YAML 1.1 readers turn a timestamp into a Date; ours keeps the text.
  if (at instanceof Date) {
    if (Number.isNaN(at.getTime())) problems.push({ path: 'at', message: 'not a valid date-time' });
    return at.getTime();
  }
  const parsed = Date.parse(at);
  if (!ISO_WITH_OFFSET.test(at) || Number.isNaN(parsed)) {
    problems.push({ path: 'at', message: `"${at}" is not an ISO 8601 date-time with an offset (2026-11-25T10:30:00+01:00)` });
    return fallback;
  }
  return parsed;
}

async function chooseRuleset(
  ctx: ServiceContext,
  which: Scenario['ruleset'],
  active: CompiledRuleset,
  activeVersion: number | null,
): Promise<{ ruleset: CompiledRuleset; label: 'draft' | number }> {
  // Before any version is published the workspace document's rules run: "version 0".
  const activeChoice = { ruleset: active, label: activeVersion ?? 0 };
  if (which === 'active') return activeChoice;
  if (which === 'draft') {
    const draft = await getRulesetDraft(ctx.database.db);
    // No draft yet: the draft is the active rules (editing starts from them).
    if (draft === null) return activeChoice;
    const parsed = Ruleset.safeParse(draft.ruleset);
    if (!parsed.success) {
      throw new BatonError('invalid', 'the saved draft ruleset no longer validates', { details: flattenIssues(parsed.error.issues, ['ruleset']) });
    }
    try {
      return { ruleset: ctx.workspace.compile(parsed.data, null), label: 'draft' };
    } catch (error) {
      // compileRuleset throws for what validation of the draft should have caught (a bad regex, an unknown schedule).
      const message = error instanceof Error ? error.message : String(error);
      throw new BatonError('invalid', `the draft ruleset does not compile: ${message}`, { details: [{ path: 'ruleset', message }], cause: error });
    }
  }
  return { ruleset: await ctx.workspace.version(ctx.database.db, which), label: which };
}
