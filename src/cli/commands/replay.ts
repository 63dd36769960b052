/**
 * `baton replay --ruleset draft --from 2026-11-01 --to 2026-11-30 [--json] [--fail-on-change]`:
 * the past handoffs of a date range decided again with the draft or a published version, against
 * the workspace in DATABASE_URL, changing nothing (POST /api/replay). The summary, what moved
 * from where to where, and the changed conversations; a progress bar on stderr while it runs, on a
 * terminal only (not piped, not with --json). Exit 0; 1 with --fail-on-change when
 * anything changed (a CI job guarding a ruleset kept in Git); 2 when the arguments are invalid.
 */
import { ReplayRequest, type ReplayResult } from '../../contract/replay-api.js';
import type { Destination } from '../../contract/config.js';
import { flattenIssues } from '../../contract/issues.js';
import { openStandaloneContext } from '../../services/open-standalone-context.js';
import { replayRuleset } from '../../services/rulesets/replay-ruleset.js';
import { commandEnv, type CliIo, type CommandArgs, type CommandSpec } from '../io.js';
import { progressBar, progressStream } from '../progress.js';

export const command: CommandSpec = {
  usage:
    'usage: baton replay --ruleset <draft | version> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--json] [--fail-on-change]',
  description:
    "The handoffs of a date range (the workspace's time zone, both days included) decided again with the draft\nor a published version, against the workspace in DATABASE_URL, changing nothing: where routing would change.\nExit 0; 1 with --fail-on-change when a rule, destination or assignee would change; 2 when the arguments are invalid.",
  options: {
    ruleset: { type: 'string', value: 'draft|n', description: "'draft' or a published version number" },
    from: { type: 'string', value: 'date', description: 'first day, YYYY-MM-DD' },
    to: { type: 'string', value: 'date', description: 'last day (included), YYYY-MM-DD' },
    channel: { type: 'string', value: 'id', description: 'only conversations of this channel' },
    queue: { type: 'string', value: 'id', description: 'only handoffs that went to this queue' },
    json: { type: 'boolean', description: 'print the result as JSON (the first 500 changed conversations)' },
    'fail-on-change': { type: 'boolean', description: 'exit 1 when anything would change' },
  },
  maxPositionals: 0,
};

/** Changed conversations listed after the summary (all of them with --json, up to 500). */
const SHOWN = 20;

export async function run(args: CommandArgs, io: CliIo): Promise<number> {
  const v = args.values;
  const rulesetText = typeof v.ruleset === 'string' ? v.ruleset : undefined;
  const parsed = ReplayRequest.safeParse({
    ruleset:
      rulesetText === undefined ? undefined : /^\d+$/.test(rulesetText) ? Number(rulesetText) : rulesetText,
    from: v.from,
    to: v.to,
    ...(typeof v.channel === 'string' ? { channel: v.channel } : {}),
    ...(typeof v.queue === 'string' ? { queue: v.queue } : {}),
    limit: v.json === true ? 500 : SHOWN,
  });
  if (!parsed.success) {
    io.err(`${command.usage}\n`);
    for (const detail of flattenIssues(parsed.error.issues))
      io.err(`  --${detail.path}: ${detail.message}\n`);
    return 2;
  }

  const ctx = await openStandaloneContext({ env: commandEnv(io), processEnv: io.env });
  // A bar on a terminal only: piped, in CI or with --json, stdout is the result and nothing else.
  const stream = progressStream(io, { json: v.json === true });
  const bar = stream === null ? null : progressBar(stream, 'handoffs');
  let result: ReplayResult;
  try {
    result = await replayRuleset(ctx, parsed.data, bar === null ? {} : { progress: bar });
  } finally {
    bar?.stop();
    await ctx.close();
  }
  io.out(v.json === true ? `${JSON.stringify(result, null, 2)}\n` : formatReplay(result));
  return v['fail-on-change'] === true && result.summary.changed > 0 ? 1 : 0;
}

/** The summary table, what moved where, and the first changed conversations. */
export function formatReplay(result: ReplayResult): string {
  const s = result.summary;
  const rows: [string, number][] = [
    ['conversations', s.conversations],
    ['handoffs replayed', s.replayed],
    ['changed', s.changed],
    ['unchanged', s.unchanged],
    ['skipped', s.skipped],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, n]) => `${label.padEnd(width)}  ${String(n).padStart(7)}`);
  if (s.byChange.length > 0) {
    lines.push('', 'would move:');
    for (const change of s.byChange) {
      lines.push(`  ${String(change.count).padStart(6)}  ${ruleText(change.from)} → ${ruleText(change.to)}`);
    }
  }
  if (s.skippedReasons.length > 0) {
    lines.push('', 'skipped:');
    for (const skipped of s.skippedReasons)
      lines.push(`  ${String(skipped.count).padStart(6)}  ${skipped.reason}`);
  }
  if (result.items.length > 0) {
    lines.push('', 'changed conversations:');
    for (const item of result.items) {
      const to =
        item.replayed === null
          ? 'no handoff'
          : `${item.replayed.rule} → ${destinationText(item.replayed.destination)}${item.replayed.assignee === null ? '' : ` (${item.replayed.assignee})`}`;
      const from =
        item.recorded === null
          ? '?'
          : `${item.recorded.rule} → ${destinationText(item.recorded.destination)}${item.recorded.assignee === null ? '' : ` (${item.recorded.assignee})`}`;
      lines.push(`  ${item.at}  ${item.conversationId}  ${from}  ⇒  ${to}  [${item.changed.join(', ')}]`);
    }
    if (s.changed > result.items.length)
      lines.push(
        `  … and ${s.changed - result.items.length} more (--json lists up to 500; POST /api/replay pages through all)`,
      );
  }
  return `${lines.join('\n')}\n`;
}

function ruleText(side: { rule: string | null; destination: Destination | null }): string {
  return side.rule === null
    ? 'no handoff'
    : `${side.rule} (${side.destination === null ? '—' : destinationText(side.destination)})`;
}

function destinationText(destination: Destination): string {
  if ('user' in destination) return `user ${destination.user}`;
  if ('team' in destination) return `team ${destination.team}`;
  return `queue ${destination.queue}`;
}
