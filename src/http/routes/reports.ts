import { HandoffReport, HandoffReportQuery } from '../../contract/reports-api.js';
import { handoffReportCsv, handoffReportFileName } from '../../services/present/handoff-report-csv.js';
import { readHandoffReport } from '../../services/reports/read-handoff-report.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/** Reports (docs/api.md "Reports"). */
export function reportRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/reports/handoffs',
      summary:
        "Handoff figures over local dates, grouped by channel, team, queue, agent, rule, trigger, day or week; CSV with Accept: text/csv or format=csv. Admins and team leads see all; an agent only their own row (groupBy=agent)",
      tags: ['reports'],
      access: 'user',
      query: HandoffReportQuery,
      response: HandoffReport,
      handler: async ({ query, principal, request, reply }) => {
        const report = await readHandoffReport(ctx, principal!, query);
        const wantsCsv = query.format === 'csv' || (query.format === undefined && (request.headers.accept ?? '').includes('text/csv'));
        if (!wantsCsv) return report;
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${handoffReportFileName(report)}"`)
          .send(handoffReportCsv(report));
      },
    }),
  ];
}
