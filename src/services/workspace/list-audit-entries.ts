import type { AuditList, AuditListQuery } from '../../contract/admin-api.js';
import { listAudit } from '../../store/repositories/audit.js';
import type { ServiceContext } from '../context.js';
import { decodeCreatedAtCursor, encodeCreatedAtCursor } from '../present/created-at-cursor.js';
import { presentAuditEntry } from '../present/present-admin.js';

/** The audit log, newest first: every configuration change and every manual reassignment. */
export async function listAuditEntries(ctx: ServiceContext, query: AuditListQuery): Promise<AuditList> {
  const entries = await listAudit(ctx.database.db, {
    ...(query.entity === undefined ? {} : { entity: query.entity }),
    ...(query.entityId === undefined ? {} : { entityId: query.entityId }),
    ...(query.actor === undefined ? {} : { actor: query.actor }),
    ...(query.action === undefined ? {} : { action: query.action }),
    ...(query.cursor === undefined ? {} : { before: decodeCreatedAtCursor(query.cursor) }),
    limit: query.limit + 1,
  });
  const page = entries.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(presentAuditEntry), nextCursor: entries.length > query.limit && last ? encodeCreatedAtCursor(last) : null };
}
