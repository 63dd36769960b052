/**
 * The handoff metrics hear each published event (docs/monitoring.md): measured with the pure
 * definitions of core/handoff-measures.ts inside the publish job, counted only once the job has
 * committed (`onCommitted`) — a job body run twice (group commit, a batch run again) counts once,
 * and a rolled-back handoff wrote no event to count. Writes nothing.
 */
import {
  BUILT_IN_RULE_LABELS,
  LABELLED_EVENT_TYPES,
  MEASURED_EVENT_TYPES,
  measureEvent,
  type KnownLabels,
} from '../../core/handoff-measures.js';
import type { ServiceContext } from '../../services/context.js';
import type { LoadedWorkspace } from '../../services/workspace/workspace-cache.js';
import { onCommitted } from '../../store/database.js';
import type { HandoffMetricsSink } from '../metrics/handoff-metrics.js';
import type { Subscriber } from './subscriber.js';

const NOTHING_KNOWN: KnownLabels = { rules: new Set(BUILT_IN_RULE_LABELS), queues: new Set() };

/** The names of one compiled workspace, built once per workspace version. */
const knownOf = new WeakMap<LoadedWorkspace, KnownLabels>();

export function metricsSubscriber(ctx: ServiceContext, sink: HandoffMetricsSink): Subscriber {
  return {
    name: 'metrics',
    async onEvent(trx, event) {
      if (!MEASURED_EVENT_TYPES.has(event.type)) return;
      let known = NOTHING_KNOWN;
      if (LABELLED_EVENT_TYPES.has(event.type)) {
        const loaded = await ctx.workspace.current(trx);
        known = knownOf.get(loaded) ?? {
          rules: new Set(loaded.ruleset.ruleIds),
          queues: new Set(loaded.model.queues.keys()),
        };
        knownOf.set(loaded, known);
      }
      const observations = measureEvent(event, known);
      if (observations.length === 0) return;
      onCommitted(trx, () => {
        for (const observation of observations) sink.observe(observation);
      });
    },
  };
}
