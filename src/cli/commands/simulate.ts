/**
 * `baton simulate <scenario.yaml | folder> [--json]`: the routing trace of a test conversation against the workspace in DATABASE_URL,
 * changing nothing. Exit 0 when every expectation holds (or none is written), 1 when one differs,
 * 2 when the scenario is invalid. Given a folder, every `*.yaml` in it (by name), one line each
 * and a summary line — so a CI job can run its scenarios before publishing rules.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { SimulationResult } from '../../contract/api.js';
import type { HandoffTrace } from '../../contract/trace.js';
import { BatonError } from '../../platform/errors.js';
import { parseScenarioText, simulateScenario } from '../../services/rulesets/simulate-scenario.js';
import { openStandaloneContext } from '../../services/open-standalone-context.js';
import { commandEnv, type CliIo, type CommandArgs, type CommandSpec } from '../io.js';

export const command: CommandSpec = {
  usage: 'usage: baton simulate <scenario.yaml | folder> [--json]',
  description:
    'The routing trace of a test conversation against the workspace in DATABASE_URL, changing nothing.\nA folder runs every *.yaml scenario in it: one line each, then a summary line.\nExit 0 when every expectation holds, 1 when one differs, 2 when a scenario is invalid.',
  options: { json: { type: 'boolean', description: 'print the result as JSON instead of the trace a person reads' } },
  maxPositionals: 1,
};

export async function run(args: CommandArgs, io: CliIo): Promise<number> {
  const file = args.positionals[0];
  if (file === undefined) {
    io.err(`${command.usage}\n`);
    return 2;
  }
  const path = resolve(io.cwd, file);
  if ((await stat(path).catch(() => null))?.isDirectory() === true) return runFolder(file, path, args.values.json === true, io);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new BatonError('not_found', `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }

  const env = commandEnv(io);
  let result: SimulationResult;
  try {
    const scenario = await parseScenarioText(text);
    const ctx = await openStandaloneContext({ env, processEnv: io.env });
    try {
      result = await simulateScenario(ctx, scenario);
    } finally {
      await ctx.close();
    }
  } catch (error) {
    if (error instanceof BatonError && error.code === 'invalid') {
      io.err(`${file} is not a valid scenario:\n`);
      for (const detail of error.details ?? [{ path: '(root)', message: error.message }]) io.err(`  ${detail.path}: ${detail.message}\n`);
      return 2;
    }
    throw error;
  }

  io.out(args.values.json === true ? `${JSON.stringify(result, null, 2)}\n` : formatResult(basename(file), result));
  return result.passed ? 0 : 1;
}

type FolderEntry =
  | { readonly file: string; readonly result: SimulationResult }
  | { readonly file: string; readonly invalid: readonly { readonly path: string; readonly message: string }[] };

/** Every `*.yaml` of a folder against one workspace: a line per scenario, a summary, the worst exit. */
async function runFolder(folder: string, path: string, json: boolean, io: CliIo): Promise<number> {
  const files = (await readdir(path)).filter((name) => name.endsWith('.yaml')).sort();
  if (files.length === 0) {
    io.err(`${folder} has no *.yaml scenarios\n`);
    return 2;
  }
  const entries: FolderEntry[] = [];
  const ctx = await openStandaloneContext({ env: commandEnv(io), processEnv: io.env });
  try {
    for (const file of files) {
      try {
        const scenario = await parseScenarioText(await readFile(join(path, file), 'utf8'));
        entries.push({ file, result: await simulateScenario(ctx, scenario) });
      } catch (error) {
        if (!(error instanceof BatonError && error.code === 'invalid')) throw error;
        entries.push({ file, invalid: error.details ?? [{ path: '(root)', message: error.message }] });
      }
    }
  } finally {
    await ctx.close();
  }

  const passed = entries.filter((e) => 'result' in e && e.result.passed).length;
  const invalid = entries.filter((e) => 'invalid' in e).length;
  const differ = entries.length - passed - invalid;
  if (json) io.out(`${JSON.stringify(entries, null, 2)}\n`);
  else {
    const width = Math.max(...files.map((file) => file.length));
    for (const entry of entries) io.out(`${folderLine(entry, width)}\n`);
    const parts = [`${passed} passed`, ...(differ > 0 ? [`${differ} differ`] : []), ...(invalid > 0 ? [`${invalid} invalid`] : [])];
    io.out(`\n${entries.length} scenarios in ${folder}: ${parts.join(', ')}\n`);
  }
  return invalid > 0 ? 2 : differ > 0 ? 1 : 0;
}

function folderLine(entry: FolderEntry, width: number): string {
  const name = entry.file.padEnd(width);
  if ('invalid' in entry) return `! ${name}  invalid: ${entry.invalid.map((d) => `${d.path}: ${d.message}`).join('; ')}`;
  const { result } = entry;
  const trace = result.trace;
  const decided =
    trace === null
      ? result.deferredTo === null ? 'answered' : `deferred to ${result.deferredTo}`
      : `${trace.trigger} → ${trace.rule} → ${trace.outcome === 'queued' ? `waits in ${placeText(trace)}` : `owner ${trace.assignee ?? 'nobody'}`}`;
  if (result.passed) return `✓ ${name}  ${decided}`;
  const wrong = result.expectations.filter((e) => !e.ok).map((e) => `${e.field} expected ${show(e.expected)}, got ${show(e.actual)}`);
  return `✗ ${name}  ${wrong.join('; ')}`;
}

const AUTHOR: Readonly<Record<string, string>> = { contact: 'customer', assistant: 'AI agent', user: 'agent', system: 'Baton' };

/** The trace as a person reads it: the conversation, then the decision, then the verdict. */
export function formatResult(name: string, result: SimulationResult): string {
  const lines: string[] = [];
  const ruleset = result.ruleset === 'draft' ? 'the draft ruleset' : `ruleset version ${result.ruleset}`;
  lines.push(`${name}: simulated at ${result.at} with ${ruleset}; language ${result.language ?? 'unknown'}`);
  lines.push('', 'Conversation');
  for (const line of result.transcript) {
    // Continuation lines of a multi-line reply stay under its first line.
    const body = line.body.replace(/\n/g, `\n${' '.repeat(12)}`);
    lines.push(`  ${(AUTHOR[line.author] ?? line.author).padEnd(9)} ${body}`);
  }

  lines.push('');
  if (result.trace === null && result.deferredTo !== null) {
    const who = result.deferredTo === 'llm' ? 'the LLM agent' : 'the webhook bot';
    lines.push(`No handoff yet: the last message goes to ${who}, which answers or hands off itself — not simulated (outcome: deferred).`);
  } else if (result.trace === null) lines.push('No handoff: the AI agent answered every message (outcome: answered).');
  else lines.push(...formatTrace(result.trace));

  if (result.expectations.length > 0) {
    lines.push('', 'Expectations');
    for (const e of result.expectations) {
      lines.push(e.ok ? `  ✓ ${e.field}: ${show(e.expected)}` : `  ✗ ${e.field}: expected ${show(e.expected)}, got ${show(e.actual)}`);
    }
    const failed = result.expectations.filter((e) => !e.ok).length;
    lines.push('', failed === 0 ? 'PASSED' : `FAILED: ${failed} of ${result.expectations.length} expectations differ`);
  }
  return `${lines.join('\n')}\n`;
}

function formatTrace(trace: HandoffTrace): string[] {
  const lines = ['Handoff', `  trigger          ${trace.trigger}${trace.note === null ? '' : ` (${trace.note})`}`];
  lines.push('  rules evaluated');
  for (const e of trace.evaluated) lines.push(e.matched ? `    ✓ ${e.rule}: matched` : `    ✗ ${e.rule}: ${e.failed ?? 'did not match'}`);
  if (trace.rule === 'fallback') lines.push('    ✓ fallback: no rule matched');
  lines.push(`  rule             ${trace.rule}${trace.ruleVersion === null ? '' : ` (version ${trace.ruleVersion})`}`);
  lines.push(`  destination      ${destinationText(trace.destination)}`);
  lines.push(`  assignment       ${trace.assignment}`);
  if (trace.summary !== undefined && trace.summary !== null) lines.push(`  summary          ${trace.summary.text} (${trace.summary.source})`);
  const who = trace.outcome === 'queued' ? 'nobody yet' : (trace.assignee ?? 'nobody');
  lines.push(`  outcome          ${trace.outcome}: ${trace.outcome === 'queued' ? `waits in ${placeText(trace)}` : `owner ${who}`}`);
  lines.push(`  assignee         ${trace.assignee ?? '—'}`);
  lines.push(`  queue            ${trace.queue ?? '—'}${trace.team === null ? '' : ` (team ${trace.team})`}`);
  if (trace.followers.length > 0) lines.push(`  followers        ${trace.followers.join(', ')}`);
  if (trace.strategy !== null) lines.push(`  strategy         ${trace.strategy}${trace.sticky ? ' (sticky: previous owner)' : ''}`);
  if (trace.outOfHours) lines.push(`  out of hours     next opening ${trace.nextOpenAt ?? 'unknown'}`);
  if (trace.queuePosition !== null) lines.push(`  queue position   ${trace.queuePosition}`);
  lines.push(`  expected wait    ${trace.expectedWaitSeconds === null ? 'unknown' : durationText(trace.expectedWaitSeconds)}`);
  if (trace.candidates.length > 0) {
    lines.push('  candidates');
    for (const c of trace.candidates) {
      const load = `load ${c.load}${c.capacity === null ? '' : `/${c.capacity}`}`;
      lines.push(`    ${c.eligible ? '✓' : '✗'} ${c.user}: ${c.eligible ? 'eligible' : (c.reason ?? 'not eligible')} (${load})`);
    }
  }
  lines.push('  customer messages');
  if (trace.customerMessages.length === 0) lines.push('    (none)');
  for (const m of trace.customerMessages) lines.push(`    [${m.language}] ${m.body}`);
  lines.push('  notifications');
  if (trace.notifications.length === 0) lines.push('    (none)');
  for (const n of trace.notifications) lines.push(`    ${n.channel} → ${n.recipients.length === 0 ? 'nobody' : n.recipients.join(', ')} (${n.reason})`);
  lines.push('  tasks');
  if (trace.tasks.length === 0) lines.push('    (none)');
  for (const t of trace.tasks) {
    const to = t.assignee ?? (t.team === null ? 'nobody' : `team ${t.team}`);
    const due = t.dueAt ?? (t.dueAfterResolutionSeconds === null ? 'no due time' : `${t.dueAfterResolutionSeconds}s after resolution`);
    lines.push(`    ${t.type} → ${to}, due ${due}`);
  }
  if (Object.keys(trace.set).length > 0) lines.push(`  set              priority ${trace.priority}, tags [${trace.tags.join(', ')}]`);
  if (trace.routingNotes.length > 0) {
    lines.push('  routing notes');
    for (const note of trace.routingNotes) lines.push(`    ${note}`);
  }
  return lines;
}

function destinationText(destination: HandoffTrace['destination']): string {
  if ('user' in destination) return `user ${destination.user}`;
  if ('team' in destination) return `team ${destination.team}`;
  return `queue ${destination.queue}`;
}

function placeText(trace: HandoffTrace): string {
  if (trace.queue !== null) return `queue ${trace.queue}`;
  return trace.team === null ? 'no place' : `team ${trace.team}`;
}

/** `165900s (46h 5m)`: the exact figure, and one a person reads. */
function durationText(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return `${seconds}s (${h > 0 ? `${h}h ${m}m` : `${m}m`})`;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
