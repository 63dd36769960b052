import type { Registry } from 'prom-client';
import type { RealtimeHub } from '../../services/realtime/hub.js';
import type { ServiceContext } from '../../services/context.js';
import type { LoginThrottle } from '../../services/auth/login-throttle.js';

/** What route modules are handed. */
export interface RouteDeps {
  readonly ctx: ServiceContext;
  readonly metrics: Registry;
  /** Realtime fan-out (typing signals; the stream's wake-ups come from the publisher). */
  readonly hub: RealtimeHub;
  /** The sign-in brake: in this process, or shared through Redis (`REDIS_URL`). */
  readonly loginThrottle: LoginThrottle;
  /** With `REDIS_URL`: whether fan-out between processes goes through Redis now (`/readyz`). */
  readonly redisHealth?: () => 'ok' | 'degraded';
}
