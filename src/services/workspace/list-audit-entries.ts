import type { AuditList, AuditListQuery } from '../../contract/admin-api.js';
import { BatonError } from '../../platform/errors.js';
import { listAudit } from '../../store/repositories/audit.js';
import type { ServiceContext } from '../context.js';
import { presentAuditEntry } from '../present/present-admin.js';

/** `createdAt` and id of the last entry of a page: the next page starts after it. */
function encodeCursor(entry: { createdAt: number; id: string }): string {
  return Buffer.from(`${entry.createdAt}:${entry.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d+):(.+)$/.exec(text);
  if (!match) throw new BatonError('invalid', 'invalid cursor', { details: [{ path: 'query.cursor', message: 'not a cursor from this endpoint' }] });
  return { createdAt: Number(match[1]), id: match[2] ?? '' };
}

/** The audit log, newest first: every configuration change and every manual reassignment (PRODUCT.md §12). */
export async function listAuditEntries(ctx: ServiceContext, query: AuditListQuery): Promise<AuditList> {
  const entries = await listAudit(ctx.database.db, {
    ...(query.entity === undefined ? {} : { entity: query.entity }),
    ...(query.entityId === undefined ? {} : { entityId: query.entityId }),
    ...(query.actor === undefined ? {} : { actor: query.actor }),
    ...(query.action === undefined ? {} : { action: query.action }),
    ...(query.cursor === undefined ? {} : { before: decodeCursor(query.cursor) }),
    limit: query.limit + 1,
  });
  const page = entries.slice(0, query.limit);
  const last = page.at(-1);
  return { items: page.map(presentAuditEntry), nextCursor: entries.length > query.limit && last ? encodeCursor(last) : null };
}
