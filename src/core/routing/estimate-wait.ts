/** Without any history or SLA target, assume five minutes per round of answers. */
export const DEFAULT_RESPONSE_SECONDS = 300;

export interface WaitInput {
  /** 1-based place in line: conversations already waiting + 1. */
  readonly position: number;
  /** Agents available, on duty and skilled for the place, whatever their load. */
  readonly staffed: number;
  /** Median handoff → first human reply recently, when known. */
  readonly recentFirstResponseSeconds: number | null;
  /** The queue's SLA first-response target, when it has one. */
  readonly slaFirstResponseSeconds: number | null;
  /** Seconds until the place opens; 0 while open. */
  readonly secondsUntilOpen?: number;
}

/**
 * Expected wait shown to the customer, in whole seconds:
 *
 *   r = recentFirstResponseSeconds ?? slaFirstResponseSeconds ?? 300
 *   e = staffed agents (available + on duty + skilled; capacity ignored, since a busy agent
 *       still frees up and works the line down)
 *   wait = ceil(position / e) × r                 when e ≥ 1
 *   wait = slaFirstResponseSeconds ?? 300         when e = 0 (nobody to scale by: promise the target)
 *   out of hours: secondsUntilOpen + the above
 *
 * Each staffed agent answers one waiting conversation per r seconds, so the customer at
 * position p is answered in round ceil(p / e).
 */
export function estimateWaitSeconds(input: WaitInput): number {
  const until = Math.max(0, Math.ceil(input.secondsUntilOpen ?? 0));
  if (input.staffed <= 0) return capped(until + (input.slaFirstResponseSeconds ?? DEFAULT_RESPONSE_SECONDS));
  const r = input.recentFirstResponseSeconds ?? input.slaFirstResponseSeconds ?? DEFAULT_RESPONSE_SECONDS;
  const position = Math.max(1, input.position);
  return capped(until + Math.ceil(position / input.staffed) * Math.ceil(r));
}

/** Ten years: an estimate beyond it says nothing more, and capped it stays a whole number of seconds whatever the inputs. */
const MAX_ESTIMATE_SECONDS = 10 * 366 * 86_400;

function capped(seconds: number): number {
  return Number.isFinite(seconds) ? Math.min(Math.ceil(seconds), MAX_ESTIMATE_SECONDS) : MAX_ESTIMATE_SECONDS;
}
