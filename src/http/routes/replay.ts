import {
  ReplayHandoffRequest,
  ReplayHandoffResult,
  ReplayRequest,
  ReplayResult,
} from '../../contract/replay-api.js';
import { replayPastHandoff } from '../../services/rulesets/replay-past-handoff.js';
import { replayRuleset } from '../../services/rulesets/replay-ruleset.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/** Replay: past handoffs decided again with a draft or a version, changing nothing. */
export function replayRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/replay',
      summary:
        'Decide the handoffs of a date range again with the draft ruleset or a published version, and show where routing would change (rule, destination or assignee), changing nothing',
      // Each call reads the whole range once: bounded like the simulator.
      rateLimit: { max: 30, per: 'credentials' },
      tags: ['rules'],
      access: 'admin',
      body: ReplayRequest,
      response: ReplayResult,
      handler: async ({ body }) => replayRuleset(ctx, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/replay/handoff',
      summary:
        'Decide one past handoff (an item of POST /api/replay: conversationId and seq) again with the draft ruleset or a published version: the recorded trace and the replayed one, changing nothing',
      rateLimit: { max: 120, per: 'credentials' },
      tags: ['rules'],
      access: 'admin',
      body: ReplayHandoffRequest,
      response: ReplayHandoffResult,
      handler: async ({ body }) => replayPastHandoff(ctx, body),
    }),
  ];
}
