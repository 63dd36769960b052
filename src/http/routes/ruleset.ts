import {
  DiffQuery,
  RestoreInput,
  RulesetDraftView,
  RulesetInput,
  RulesetVersionDiff,
  RulesetVersionList,
  RulesetVersionView,
  VersionParams,
} from '../../contract/admin-api.js';
import { PublishInput } from '../../contract/api.js';
import { actorOf } from '../../services/auth/authenticate.js';
import { diffRulesetVersions } from '../../services/rulesets/diff-ruleset-versions.js';
import { publishRulesetDraft } from '../../services/rulesets/publish-ruleset-draft.js';
import { readRulesetDraft } from '../../services/rulesets/read-ruleset-draft.js';
import { restoreRulesetVersion } from '../../services/rulesets/restore-ruleset-version.js';
import { reviewRuleset } from '../../services/rulesets/review-ruleset.js';
import { parseRulesetText } from '../../services/rulesets/parse-ruleset-text.js';
import { saveRulesetDraft } from '../../services/rulesets/save-ruleset-draft.js';
import { listRulesetVersionSummaries, readActiveRuleset, readRulesetVersion } from '../../services/rulesets/read-ruleset-versions.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/**
 * Rules (docs/api.md "Rules"): a draft, published as numbered immutable versions; rollback publishes
 * an old version again. Reads are for every signed-in user (agents may ask why something was
 * routed); the draft and every change are for admins.
 */
export function rulesetRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  const db = ctx.database.db;
  const tags = ['rules'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/ruleset',
      summary: 'The active ruleset version',
      tags,
      access: 'user',
      response: RulesetVersionView,
      handler: () => readActiveRuleset(ctx),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/ruleset/draft',
      summary: 'The draft (the active rules when no draft was saved)',
      tags,
      access: 'admin',
      response: RulesetDraftView,
      handler: async () => readRulesetDraft(db),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/ruleset/draft',
      summary: 'Replace the draft (JSON, or the handoff section as YAML); checked against the current workspace, every problem with its path in the ruleset',
      tags,
      access: 'admin',
      writes: true,
      body: RulesetInput,
      rawBody: YAML_TYPES,
      response: RulesetDraftView,
      handler: async ({ body, principal }) =>
        saveRulesetDraft(ctx, { ruleset: typeof body === 'string' ? await parseRulesetText(body) : body, actor: actorOf(principal) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/ruleset/publish',
      summary: 'Publish the draft as the next version (409 when it equals the active version)',
      tags,
      access: 'admin',
      writes: true,
      body: PublishInput,
      response: RulesetVersionView,
      status: 201,
      handler: async ({ body, principal }) => publishRulesetDraft(ctx, { summary: body.summary, actor: actorOf(principal) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/ruleset/review',
      summary: 'Mark the active version reviewed now (the review reminder counts from here)',
      tags,
      access: 'admin',
      writes: true,
      response: RulesetVersionView,
      handler: async ({ principal }) => reviewRuleset(ctx, { actor: actorOf(principal) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/ruleset/versions',
      summary: 'Every published version, newest first',
      tags,
      access: 'user',
      response: RulesetVersionList,
      handler: () => listRulesetVersionSummaries(ctx),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/ruleset/versions/:n',
      summary: 'One version',
      tags,
      access: 'user',
      params: VersionParams,
      response: RulesetVersionView,
      handler: ({ params }) => readRulesetVersion(ctx, params.n),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/ruleset/versions/:n/diff',
      summary: 'What changed in version n against another (default the one before): rules added, removed, changed, moved',
      tags,
      access: 'user',
      params: VersionParams,
      query: DiffQuery,
      response: RulesetVersionDiff,
      handler: async ({ params, query }) => diffRulesetVersions(db, { version: params.n, ...(query.against === undefined ? {} : { against: query.against }) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/ruleset/versions/:n/restore',
      summary: "Publish version n's rules again as a new version (rollback); the draft is reset to them unless `keepDraft: true`",
      tags,
      access: 'admin',
      writes: true,
      params: VersionParams,
      body: RestoreInput,
      response: RulesetVersionView,
      status: 201,
      handler: async ({ params, body, principal }) =>
        restoreRulesetVersion(ctx, { version: params.n, actor: actorOf(principal), keepDraft: body.keepDraft, ...(body.summary === undefined ? {} : { summary: body.summary }) }),
    }),
  ];
}

