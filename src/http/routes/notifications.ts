import type { AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

export function notificationRoutes(_deps: RouteDeps): AnyRoute[] {
  return [];
}
