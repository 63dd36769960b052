import type { Playbook } from '../../contract/playbook-api.js';
import { explainPlaybook } from '../../core/explain-playbook.js';
import type { ServiceContext } from '../context.js';

/** `GET /api/playbook`: the active ruleset version in plain language, for every agent. */
export async function readPlaybook(ctx: ServiceContext): Promise<Playbook> {
  const { config, model, rulesetVersion } = await ctx.workspace.current();
  return explainPlaybook(config.handoff, model, rulesetVersion);
}
