/**
 * The handoff view of /metrics (docs/monitoring.md), on the process's prom-client registry.
 *
 * Counters and histograms move only once what they count has committed: the metrics subscriber
 * (subscribers/metrics.ts) measures each published event with the pure definitions of
 * core/handoff-measures.ts inside the publish job and hands the observations to `observe` through
 * `onCommitted`, after the job's commit — a rolled-back handoff writes no event and counts
 * nothing, and a job body run twice counts once.
 *
 * Gauges are read at scrape time (`collect`), each with one indexed query
 * (store/repositories/metrics-gauges.ts) or from memory (the realtime hub).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { HANDOFF_OUTCOMES, NO_LABEL, type Observation } from '../../core/handoff-measures.js';
import type { Clock } from '../../platform/runtime.js';
import type { RealtimeHub } from '../../services/realtime/hub.js';
import type { WorkspaceCache } from '../../services/workspace/workspace-cache.js';
import type { Executor } from '../../store/database.js';
import {
  countOutboxDead,
  countOutboxDueByKind,
  countWaitingByQueue,
} from '../../store/repositories/metrics-gauges.js';

/** Where committed observations go. */
export interface HandoffMetricsSink {
  observe(observation: Observation): void;
}

/** Seconds: 10 s to 1 day — first responses and waits in a line are minutes to hours. */
export const WAIT_BUCKETS: readonly number[] = [
  10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400,
];

export interface HandoffMetricsOptions {
  readonly registry: Registry;
  /** The root handle: gauges read outside any transaction. */
  readonly executor: Executor;
  readonly workspace: WorkspaceCache;
  readonly hub: RealtimeHub;
  readonly clock: Clock;
  /** A scrape's gauge reads fail quietly (the series keep their last value); logged here. */
  readonly onError: (error: unknown) => void;
}

export function registerHandoffMetrics(options: HandoffMetricsOptions): HandoffMetricsSink {
  const { registry, executor, workspace, hub, clock } = options;
  const registers = [registry];

  const handoffs = new Counter({
    name: 'baton_handoffs_total',
    help: 'Handoffs to people, by trigger, rule and queue (none: not named by the workspace)',
    labelNames: ['trigger', 'rule', 'queue'],
    registers,
  });
  const outcomes = new Counter({
    name: 'baton_handoff_outcomes_total',
    help: 'Handoffs by outcome: assigned to a person, queued, or kept by its owner',
    labelNames: ['outcome'],
    registers,
  });
  for (const outcome of HANDOFF_OUTCOMES) outcomes.inc({ outcome }, 0);
  const firstResponse = new Histogram({
    name: 'baton_first_human_response_seconds',
    help: 'Seconds from a handoff to the first public reply by a person',
    buckets: [...WAIT_BUCKETS],
    registers,
  });
  const queueWait = new Histogram({
    name: 'baton_queue_wait_seconds',
    help: 'Seconds from entering a waiting line to being given to a person',
    buckets: [...WAIT_BUCKETS],
    registers,
  });
  const breaches = new Counter({
    name: 'baton_sla_breaches_total',
    help: 'First-response targets missed, by queue',
    labelNames: ['queue'],
    registers,
  });

  // Gauges: collected at scrape time; a failed read leaves the previous values.
  const guard = async (read: () => Promise<void>): Promise<void> => {
    try {
      await read();
    } catch (error) {
      options.onError(error);
    }
  };
  new Gauge({
    name: 'baton_queue_waiting',
    help: 'Conversations waiting in a line now, by queue (none: a team line without a queue)',
    labelNames: ['queue'],
    registers,
    async collect() {
      await guard(async () => {
        const [known, counts] = await Promise.all([knownQueues(workspace), countWaitingByQueue(executor)]);
        const values = new Map<string, number>([...known].map((queue) => [queue, 0]));
        for (const [queue, count] of counts) {
          const label = queue !== null && known.has(queue) ? queue : NO_LABEL;
          values.set(label, (values.get(label) ?? 0) + count);
        }
        this.reset();
        for (const [queue, count] of values) this.set({ queue }, count);
      });
    },
  });
  new Gauge({
    name: 'baton_outbox_pending',
    help: 'Outbox rows due and not yet run (timers set for later are not due), by job kind',
    labelNames: ['kind'],
    registers,
    async collect() {
      await guard(async () => {
        const counts = await countOutboxDueByKind(executor, clock.now());
        this.reset();
        for (const [kind, count] of counts) this.set({ kind }, count);
      });
    },
  });
  new Gauge({
    name: 'baton_outbox_dead',
    help: 'Outbox rows whose attempts ran out (dead-lettered; an admin may retry them)',
    registers,
    async collect() {
      await guard(async () => this.set(await countOutboxDead(executor)));
    },
  });
  new Gauge({
    name: 'baton_realtime_connections',
    help: 'Realtime WebSocket connections open on this process',
    registers,
    collect() {
      this.set(hub.size());
    },
  });

  return {
    observe(observation) {
      switch (observation.metric) {
        case 'handoff':
          handoffs.inc({ trigger: observation.trigger, rule: observation.rule, queue: observation.queue });
          outcomes.inc({ outcome: observation.outcome });
          return;
        case 'first_human_response':
          firstResponse.observe(observation.seconds);
          return;
        case 'queue_wait':
          queueWait.observe(observation.seconds);
          return;
        case 'sla_breach':
          breaches.inc({ queue: observation.queue });
          return;
      }
    },
  };
}

async function knownQueues(workspace: WorkspaceCache): Promise<ReadonlySet<string>> {
  try {
    return new Set((await workspace.current()).model.queues.keys());
  } catch {
    // No workspace applied yet: no queue is named.
    return new Set();
  }
}
