/**
 * Periodic work once per period across the cluster, not once per process: a process whose timer
 * fires runs the work only when it takes the period (store/repositories/cluster-leases.ts). With
 * several processes the work runs about once per period, by whichever process's timer fires
 * first; when that process stops, another's timer takes the next period.
 */
import type { ServiceContext } from '../../services/context.js';
import { takePeriod } from '../../store/repositories/cluster-leases.js';

/** A period may be taken this fraction of it early (see TakePeriodInput.earlyMs). */
const EARLY = 0.1;

export interface ClusterPeriod {
  /** Take the current period for this process; true when it did (and must run the work). */
  take(): Promise<boolean>;
}

export function clusterPeriod(ctx: ServiceContext, options: { readonly name: string; readonly periodMs: number; readonly holder: string }): ClusterPeriod {
  return {
    take: () =>
      takePeriod(ctx.database.db, {
        name: options.name,
        holder: options.holder,
        now: ctx.clock.now(),
        periodMs: options.periodMs,
        earlyMs: Math.floor(options.periodMs * EARLY),
      }),
  };
}
