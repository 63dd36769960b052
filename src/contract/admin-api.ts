import { z } from 'zod';
import { Availability, ErrorDetail, MAX_STORED_INTEGER } from './common.js';
import {
  ChannelConfig,
  KnowledgeConfig,
  QueueConfig,
  Rule,
  Ruleset,
  ScheduleConfig,
  TeamConfig,
  UserConfig,
} from './config.js';
import { AuditEntry, ConfigApplyResult, RulesetVersion } from './api.js';

/**
 * Admin-side REST bodies and responses (docs/api.md "Workspace configuration", "Rules", audit): the
 * workspace document over HTTP, the directory one object at a time, ruleset versions and diffs.
 */

/** A problem or warning in a workspace document; `line`/`column` when the source text shows it. */
export const ConfigProblem = ErrorDetail.extend({
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export type ConfigProblem = z.infer<typeof ConfigProblem>;

// ── workspace configuration ─────────────────────────────────────────────────────────────────────
/**
 * A whole workspace document as JSON. Checked by the same validator as `baton validate` (every
 * problem, with its path), not here, so one request reports schema and reference problems together.
 */
export const WorkspaceDocumentInput = z
  .record(z.string(), z.unknown())
  .meta({ description: 'The workspace document (docs/configuration.md; JSON Schema at /api/config/schema.json). Send YAML with Content-Type: application/yaml.' });

export const PutConfigQuery = z.object({
  /** Validate only: report problems and warnings, change nothing. */
  dryRun: z.stringbool().default(false),
  /** The change summary kept with the revision and the ruleset version it publishes. */
  summary: z.string().min(1).max(500).optional(),
});
export type PutConfigQuery = z.infer<typeof PutConfigQuery>;

export const ConfigApplyOutcome = ConfigApplyResult.extend({
  warnings: z.array(ConfigProblem),
  dryRun: z.boolean(),
  /** A new revision or ruleset version was written (false when the document was already the workspace). */
  changed: z.boolean(),
  /** The ruleset version this apply published, or null when the rules did not change. */
  publishedVersion: z.number().int().nullable(),
});
export type ConfigApplyOutcome = z.infer<typeof ConfigApplyOutcome>;

// ── directory ───────────────────────────────────────────────────────────────────────────────────
export const DirectorySection = z.enum(['users', 'teams', 'queues', 'schedules', 'channels', 'knowledge']);
export type DirectorySection = z.infer<typeof DirectorySection>;

/** POST adds one object; PATCH replaces the top-level fields given (`null` removes an optional one). */
export const DirectoryObjectInput = z
  .record(z.string(), z.unknown())
  .meta({ description: 'One object of the section, as in baton.yaml. Checked together with the whole workspace.' });

export const UserView = UserConfig.extend({
  /** Availability now: the live status set by the user, or the configured initial one. */
  currentStatus: Availability,
  statusChangedAt: z.string().nullable(),
});
export type UserView = z.infer<typeof UserView>;

export const directoryItemSchemas = {
  users: UserConfig,
  teams: TeamConfig,
  queues: QueueConfig,
  schedules: ScheduleConfig,
  channels: ChannelConfig,
  knowledge: KnowledgeConfig,
} as const;

export const DirectoryChange = z.object({
  /** The object as stored after the change (for a removal, as it was). */
  item: z.record(z.string(), z.unknown()),
  revision: z.number().int(),
  warnings: z.array(ConfigProblem),
});
export type DirectoryChange = z.infer<typeof DirectoryChange>;

// ── rules ───────────────────────────────────────────────────────────────────────────────────────
export const VersionParams = z.object({ n: z.coerce.number().int().min(1).max(MAX_STORED_INTEGER) });
export type VersionParams = z.infer<typeof VersionParams>;

export const RulesetVersionView = RulesetVersion.extend({
  active: z.boolean(),
  /** When the 90-day (`reviewEvery`) review reminder is due, counted from `reviewedAt`. */
  reviewDueAt: z.string().nullable(),
});
export type RulesetVersionView = z.infer<typeof RulesetVersionView>;

export const RulesetVersionSummary = RulesetVersionView.omit({ ruleset: true }).extend({ rules: z.number().int() });
export type RulesetVersionSummary = z.infer<typeof RulesetVersionSummary>;

export const RulesetVersionList = z.object({ items: z.array(RulesetVersionSummary) });
export type RulesetVersionList = z.infer<typeof RulesetVersionList>;

export const RulesetInput = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A ruleset: the `handoff` section of baton.yaml (reviewEvery, rules, fallback).' });

export const RulesetDraftView = z.object({
  ruleset: Ruleset,
  /** false: no draft was saved, this is the active ruleset. */
  saved: z.boolean(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
  activeVersion: z.number().int().nullable(),
  /** The draft differs from the active rules, so publishing it makes a new version. */
  changed: z.boolean(),
  /**
   * A version was published after this draft was saved (a restore, an apply of baton.yaml):
   * publishing the draft would undo that version's changes. Check the diff first.
   */
  outdated: z.boolean(),
  warnings: z.array(ConfigProblem),
});
export type RulesetDraftView = z.infer<typeof RulesetDraftView>;

export const RestoreInput = z.strictObject({
  summary: z.string().min(1).max(500).optional(),
  /** Keep the saved draft as it is; by default the draft is reset to the rules now active. */
  keepDraft: z.boolean().default(false),
});

export const DiffQuery = z.object({
  /** The version to compare with; default the one before. */
  against: z.coerce.number().int().min(1).max(MAX_STORED_INTEGER).optional(),
});

export const FieldChange = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
export type FieldChange = z.infer<typeof FieldChange>;

export const RulesetDiff = z.object({
  /** Rules only in the newer ruleset, at their position there. */
  added: z.array(z.object({ id: z.string(), index: z.number().int(), rule: Rule })),
  /** Rules only in the older ruleset, at their position there. */
  removed: z.array(z.object({ id: z.string(), index: z.number().int(), rule: Rule })),
  /** Rules in both whose content changed, field by field (`then.destination`, `if`, …). */
  changed: z.array(z.object({ id: z.string(), fields: z.array(FieldChange) })),
  /** Rules in both whose order relative to the others changed: the first match wins, so order matters. */
  moved: z.array(z.object({ id: z.string(), from: z.number().int(), to: z.number().int() })),
  fallback: z.array(FieldChange),
  /** Ruleset-wide settings (`reviewEvery`). */
  settings: z.array(FieldChange),
  identical: z.boolean(),
});
export type RulesetDiff = z.infer<typeof RulesetDiff>;

export const RulesetVersionDiff = RulesetDiff.extend({ from: z.number().int(), to: z.number().int() });

// ── audit ───────────────────────────────────────────────────────────────────────────────────────
export const AuditListQuery = z.object({
  entity: z.string().optional(),
  entityId: z.string().optional(),
  actor: z.string().optional(),
  action: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditList = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditList = z.infer<typeof AuditList>;
