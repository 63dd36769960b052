import type { Executor } from '../database.js';
import { fromJsonOr, toJson } from '../json.js';
import type { AuditLogRow } from '../schema.js';
import { createId } from '../../platform/runtime.js';

/** Every configuration change and every manual reassignment, append-only. */
export interface AuditEntryRecord {
  readonly id: string;
  readonly actor: string | null;
  /** Dotted: `config.applied`, `ruleset.published`, `conversation.reassigned`, `capacity.overridden`. */
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

export function rowToAuditEntry(row: AuditLogRow): AuditEntryRecord {
  return {
    id: row.id,
    actor: row.actor,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    data: fromJsonOr<Record<string, unknown>>(row.data, {}),
    createdAt: row.created_at,
  };
}

export async function appendAudit(
  ex: Executor,
  input: {
    readonly id?: string;
    readonly actor: string | null;
    readonly action: string;
    readonly entity: string;
    readonly entityId?: string | null;
    readonly data?: Readonly<Record<string, unknown>>;
    readonly now: number;
  },
): Promise<AuditEntryRecord> {
  const row = await ex
    .insertInto('audit_log')
    .values({
      id: input.id ?? createId(),
      actor: input.actor,
      action: input.action,
      entity: input.entity,
      entity_id: input.entityId ?? null,
      data: toJson(input.data ?? {}),
      created_at: input.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToAuditEntry(row);
}

/** Newest first; page with `before` (the last entry's createdAt and id). */
export async function listAudit(
  ex: Executor,
  options: {
    readonly entity?: string;
    readonly entityId?: string;
    readonly actor?: string;
    readonly action?: string;
    readonly limit?: number;
    readonly before?: { readonly createdAt: number; readonly id: string };
  } = {},
): Promise<AuditEntryRecord[]> {
  let q = ex
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.max(1, Math.min(options.limit ?? 50, 500)));
  if (options.entity !== undefined) q = q.where('entity', '=', options.entity);
  if (options.entityId !== undefined) q = q.where('entity_id', '=', options.entityId);
  if (options.actor !== undefined) q = q.where('actor', '=', options.actor);
  if (options.action !== undefined) q = q.where('action', '=', options.action);
  const before = options.before;
  if (before !== undefined) {
    q = q.where((eb) =>
      eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]),
    );
  }
  return (await q.execute()).map(rowToAuditEntry);
}
