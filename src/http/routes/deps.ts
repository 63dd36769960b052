import type { Registry } from 'prom-client';
import type { OutboxWorker } from '../../delivery/outbox-worker.js';
import type { RealtimeHub } from '../../delivery/realtime/hub.js';
import type { WaitingAssigner } from '../../delivery/workers/waiting-assigner.js';
import type { ServiceContext } from '../../services/context.js';

/** What route modules are handed. */
export interface RouteDeps {
  readonly ctx: ServiceContext;
  readonly metrics: Registry;
  readonly outbox: OutboxWorker;
  readonly assigner: WaitingAssigner;
  /** Realtime fan-out (typing signals; the stream's wake-ups come from the publisher). */
  readonly hub: RealtimeHub;
}
