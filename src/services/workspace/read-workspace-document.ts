import { exportConfig, type ExportOptions } from '../../config/export-config.js';
import type { WorkspaceConfig } from '../../contract/config.js';
import type { Executor } from '../../store/database.js';
import { getCurrentConfig } from '../../store/repositories/config.js';
import { getActiveRuleset } from '../../store/repositories/rulesets.js';

/** The workspace as a document: what `GET /api/config` and `baton export` write, and what edits start from. */
export interface WorkspaceDocument {
  readonly revision: number;
  /** As stored: `${VAR}` kept as written, defaults filled. `handoff` is the active ruleset. */
  readonly document: Record<string, unknown>;
  readonly activeVersion: number | null;
}

/**
 * The current revision with the active ruleset as its `handoff`: rules published through the
 * ruleset API (or restored) live in ruleset versions, not in the revision, and the document must
 * show the rules that route now. Null before anything was applied.
 */
export async function readWorkspaceDocument(ex: Executor): Promise<WorkspaceDocument | null> {
  const current = await getCurrentConfig(ex);
  if (current === null) return null;
  const active = await getActiveRuleset(ex);
  const stored = typeof current.document === 'object' && current.document !== null ? (current.document as Record<string, unknown>) : {};
  const document = active === null ? { ...stored } : { ...stored, handoff: active.ruleset };
  return { revision: current.id, document, activeVersion: active?.version ?? null };
}

/**
 * The document as baton.yaml. The stored document is a validated one as written (`${VAR}` kept),
 * so it exports as is.
 */
export function workspaceDocumentAsYaml(current: WorkspaceDocument, options: ExportOptions = {}): string {
  return exportConfig(current.document as WorkspaceConfig, options);
}
