import { AuditList, AuditListQuery } from '../../contract/admin-api.js';
import { listAuditEntries } from '../../services/workspace/list-audit-entries.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/** The audit log: every configuration change and every manual reassignment. */
export function auditRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/audit',
      summary: 'The audit log, newest first (filter by entity, entityId, actor, action; cursor-paginated)',
      tags: ['audit'],
      access: 'admin',
      query: AuditListQuery,
      response: AuditList,
      handler: ({ query }) => listAuditEntries(ctx, query),
    }),
  ];
}
