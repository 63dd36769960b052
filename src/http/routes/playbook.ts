import { Playbook } from '../../contract/playbook-api.js';
import { readPlaybook } from '../../services/rulesets/read-playbook.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/** The handoff playbook: the active rules in plain language, for every agent. */
export function playbookRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/playbook',
      summary: 'The active handoff rules in plain language: what hands a conversation to people, where each kind goes, who is alerted',
      tags: ['rules'],
      access: 'user',
      response: Playbook,
      handler: () => readPlaybook(ctx),
    }),
  ];
}
