import { Scenario, SimulationResult } from '../../contract/api.js';
import { parseScenarioText, simulateScenario } from '../../services/rulesets/simulate-scenario.js';
import { defineRoute, type AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

/** The simulator: a trace, changing nothing. */
export function simulateRoutes(deps: RouteDeps): AnyRoute[] {
  const { ctx } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/simulate',
      summary: 'Run a scenario (docs/configuration.md, "Simulation scenarios") and return the trace, changing nothing',
      rateLimit: { max: 60, per: 'credentials' },
      tags: ['rules'],
      // Any signed-in user may try the rules; the simulation reads and never writes.
      access: 'user',
      body: Scenario,
      // The scenario as written in a file: the same YAML `baton simulate` reads.
      rawBody: ['application/yaml', 'application/x-yaml', 'text/yaml'],
      response: SimulationResult,
      handler: async ({ body }) => {
        // Raw content types arrive as the text itself; JSON has been validated already.
        const raw: unknown = body;
        const scenario = typeof raw === 'string' ? await parseScenarioText(raw) : body;
        return simulateScenario(ctx, scenario);
      },
    }),
  ];
}
