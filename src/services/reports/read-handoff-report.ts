/**
 * The handoff report (docs/api.md "Reports"): over local dates of the workspace's time zone,
 * grouped by one dimension, every figure as core/reports defines it, read from the report rows
 * (store/repositories/report-rows.ts) — never from the event log, so a year of a large desk is
 * one walk of one index for the groups and the totals, off the server's thread on SQLite.
 *
 * Who sees what: admins and team leads see every conversation; an agent sees only their own row —
 * `groupBy=agent`, restricted to the conversations they own last (any other grouping would
 * show their colleagues' work in its sums, so it is refused).
 */
import type { HandoffMetrics, HandoffReport, HandoffReportGroup, HandoffReportQuery, ReportGroupBy } from '../../contract/reports-api.js';
import { metricsFromParts } from '../../core/reports/handoff-metrics.js';
import { dayLabel, reportRange } from '../../core/reports/report-range.js';
import type { WorkspaceModel } from '../../core/model.js';
import { BatonError } from '../../platform/errors.js';
import { readReport, type ReportDimension, type ReportFigures, type ReportQuery } from '../../store/repositories/report-rows.js';
import { actsAsAdmin } from '../access/acts-as-admin.js';
import type { Principal } from '../auth/principal.js';
import type { ServiceContext } from '../context.js';

export async function readHandoffReport(ctx: ServiceContext, principal: Principal, query: HandoffReportQuery): Promise<HandoffReport> {
  const loaded = await ctx.workspace.current();
  const model = loaded.model;
  const agentId = ownRowOnly(model, principal, query.groupBy);
  const timezone = model.timezone;
  const q: ReportQuery = {
    groupBy: query.groupBy,
    dialect: ctx.database.dialect,
    range: reportRange(query.from, query.to, timezone),
    includeTest: query.includeTest,
    ...(query.channel === undefined ? {} : { channelId: query.channel }),
    ...(query.team === undefined ? {} : { teamId: query.team }),
    ...(query.queue === undefined ? {} : { queueId: query.queue }),
    ...(agentId === null ? {} : { agentId }),
  };
  // One read for the groups and the totals (store/repositories/report-rows.ts readReport).
  const answer = await readReport(ctx.database, q);
  const groups: HandoffReportGroup[] = answer.groups.map((group) => ({ key: group.key, label: labelOf(model, query.groupBy, group.key), ...metricsOf(group) }));
  const chronological = query.groupBy === 'day' || query.groupBy === 'week';
  groups.sort((a, b) =>
    a.key === null ? 1 : b.key === null ? -1 : chronological ? Number(a.key) - Number(b.key) : a.label.localeCompare(b.label) || a.key.localeCompare(b.key),
  );
  return {
    from: query.from,
    to: query.to,
    timezone,
    groupBy: query.groupBy,
    totals: metricsOf(answer.totals),
    // Day and week keys are dates (a week: its Monday), not the day numbers the database groups by.
    groups: chronological ? groups.map((g) => ({ ...g, key: g.key === null ? null : dayLabel(Number(g.key)) })) : groups,
  };
}

/** null: every conversation; else only this agent's (their own row). */
function ownRowOnly(model: WorkspaceModel, principal: Principal, groupBy: ReportGroupBy): string | null {
  if (actsAsAdmin(principal)) return null;
  if (principal.kind !== 'user') throw new BatonError('forbidden', 'reports are for the support team');
  const isLead = [...model.teams.values()].some((team) => team.leads.includes(principal.userId));
  if (isLead) return null;
  if (groupBy !== 'agent') throw new BatonError('forbidden', 'agents see only their own row of the report: ask for groupBy=agent');
  return principal.userId;
}

function metricsOf(figures: ReportFigures): HandoffMetrics {
  return metricsFromParts(figures, {
    ...(figures.firstResponse === undefined ? {} : { firstResponse: figures.firstResponse }),
    ...(figures.queueWait === undefined ? {} : { queueWait: figures.queueWait }),
    ...(figures.resolution === undefined ? {} : { resolution: figures.resolution }),
  });
}

const NONE_LABELS: Readonly<Record<ReportGroupBy, string>> = {
  channel: 'No channel',
  team: 'No team',
  queue: 'No queue',
  agent: 'No agent',
  rule: 'Not handed off',
  trigger: 'Not handed off',
  day: 'No day',
  week: 'No week',
};

function labelOf(model: WorkspaceModel, groupBy: ReportDimension & ReportGroupBy, key: string | null): string {
  if (key === null) return NONE_LABELS[groupBy];
  switch (groupBy) {
    case 'channel':
      return model.channels.get(key)?.name ?? key;
    case 'team':
      return model.teams.get(key)?.name ?? key;
    case 'queue':
      return model.queues.get(key)?.name ?? key;
    case 'agent':
      return model.users.get(key)?.name ?? key;
    case 'rule':
    case 'trigger':
      return key;
    case 'day':
      return dayLabel(Number(key));
    case 'week':
      return `Week of ${dayLabel(Number(key))}`;
  }
}
