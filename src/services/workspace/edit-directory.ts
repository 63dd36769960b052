import { parseConfigValue } from '../../config/parse-config-text.js';
import type { ConfigProblem } from '../../config/config-problem.js';
import type { DirectoryChange, DirectorySection } from '../../contract/admin-api.js';
import { BatonError, notFound } from '../../platform/errors.js';
import { withTransaction } from '../../store/database.js';
import { appendAudit } from '../../store/repositories/audit.js';
import { lockWorkspace } from '../../store/repositories/workspace-lock.js';
import { applyValidatedConfig } from './apply-validated-config.js';
import type { ServiceContext } from '../context.js';
import { invalidDocument, relativeTo } from './invalid-document.js';
import { joinTransaction } from '../join-transaction.js';
import { readWorkspaceDocument } from './read-workspace-document.js';

/** What one object of each section is called in messages, summaries and the audit log. */
export const ENTITY_OF: Readonly<Record<DirectorySection, string>> = {
  users: 'user',
  teams: 'team',
  queues: 'queue',
  schedules: 'schedule',
  channels: 'channel',
  knowledge: 'knowledge',
};

export type DirectoryEdit =
  | { readonly kind: 'add'; readonly item: Readonly<Record<string, unknown>> }
  /** Top-level fields replace the object's; `null` removes an optional field (its default applies). */
  | { readonly kind: 'update'; readonly id: string; readonly fields: Readonly<Record<string, unknown>> }
  | { readonly kind: 'remove'; readonly id: string };

export interface EditDirectoryInput {
  readonly section: DirectorySection;
  readonly edit: DirectoryEdit;
  readonly actor: string;
}

interface EditedDocument {
  readonly document: Record<string, unknown>;
  /** Where the object is in the edited document (-1 for a removal). */
  readonly index: number;
  readonly id: string;
  readonly before: Record<string, unknown> | null;
  readonly summary: string;
}

/**
 * Change one object of the workspace (docs/api.md: users, teams, queues, schedules, channels,
 * knowledge "one at a time"). The document stays the source of truth: the current document is
 * read, the one object changed, the whole document validated again — so every reference check
 * applies (removing a team a queue still uses is refused, with the queue's path) — and applied as
 * a new revision, all in one transaction under the workspace lock, so concurrent edits do not
 * overwrite each other.
 */
export async function editDirectory(ctx: ServiceContext, input: EditDirectoryInput): Promise<DirectoryChange> {
  const now = ctx.clock.now();
  const result = await withTransaction(ctx.database, async (trx) => {
    await lockWorkspace(trx, ctx.database.dialect);
    const current = await readWorkspaceDocument(trx);
    if (current === null) throw new BatonError('unavailable', 'the workspace has no configuration yet: apply a baton.yaml');
    const edited = editDocument(current.document, input.section, input.edit);
    const parsed = parseConfigValue(edited.document, ctx.processEnv);
    const entity = ENTITY_OF[input.section];
    if (!parsed.ok) {
      if (input.edit.kind === 'remove') {
        throw new BatonError('invalid', `cannot remove ${entity} "${edited.id}": the workspace still refers to it; nothing was changed`, {
          details: parsed.problems,
        });
      }
      throw invalidDocument(`${entity} "${edited.id}"`, relativeTo(`${input.section}[${edited.index}]`, parsed.problems));
    }
    const outcome = await applyValidatedConfig(joinTransaction(ctx, trx), { raw: parsed.raw, actor: input.actor, summary: edited.summary });
    const item = edited.index >= 0 ? (parsed.raw[input.section][edited.index] as Record<string, unknown>) : (edited.before ?? {});
    if (outcome.changed) {
      await appendAudit(trx, {
        actor: input.actor,
        action: `${entity}.${input.edit.kind === 'add' ? 'created' : input.edit.kind === 'update' ? 'updated' : 'deleted'}`,
        entity,
        entityId: edited.id,
        data: { revision: outcome.revision, summary: edited.summary },
        now,
      });
    }
    const warnings: ConfigProblem[] = input.edit.kind === 'remove' ? parsed.warnings : relativeTo(`${input.section}[${edited.index}]`, parsed.warnings);
    return { item: { ...item }, revision: outcome.revision, warnings };
  });
  // applyValidatedConfig ran inside our transaction: refresh and wake the assigner after the commit.
  ctx.workspace.invalidate();
  ctx.afterCommit({ kind: 'assign_waiting' });
  return result;
}

/** The pure part: the document with one object added, changed or removed. */
export function editDocument(document: Readonly<Record<string, unknown>>, section: DirectorySection, edit: DirectoryEdit): EditedDocument {
  const entity = ENTITY_OF[section];
  const items = Array.isArray(document[section]) ? [...(document[section] as unknown[])] : [];
  const indexOf = (id: string): number => items.findIndex((item) => isRecord(item) && item.id === id);
  switch (edit.kind) {
    case 'add': {
      const id = typeof edit.item.id === 'string' ? edit.item.id : '';
      if (id !== '' && indexOf(id) >= 0) throw new BatonError('conflict', `${entity} "${id}" already exists`);
      items.push({ ...edit.item });
      return { document: { ...document, [section]: items }, index: items.length - 1, id, before: null, summary: `${section}: added ${id}` };
    }
    case 'update': {
      const index = indexOf(edit.id);
      if (index < 0) throw notFound(entity, edit.id);
      if ('id' in edit.fields && edit.fields.id !== edit.id) {
        throw new BatonError('invalid', `the id of ${entity} "${edit.id}" cannot change: add a new ${entity} and remove this one`, {
          details: [{ path: 'id', message: 'cannot change' }],
        });
      }
      const before = items[index] as Record<string, unknown>;
      const after: Record<string, unknown> = { ...before };
      for (const [key, value] of Object.entries(edit.fields)) {
        if (value === null) delete after[key];
        else after[key] = value;
      }
      items[index] = after;
      const fields = Object.keys(edit.fields).filter((key) => key !== 'id');
      return {
        document: { ...document, [section]: items },
        index,
        id: edit.id,
        before,
        summary: `${section}: changed ${edit.id}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`,
      };
    }
    case 'remove': {
      const index = indexOf(edit.id);
      if (index < 0) throw notFound(entity, edit.id);
      const [before] = items.splice(index, 1);
      return { document: { ...document, [section]: items }, index: -1, id: edit.id, before: before as Record<string, unknown>, summary: `${section}: removed ${edit.id}` };
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
