import type { AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

export function configRoutes(_deps: RouteDeps): AnyRoute[] {
  return [];
}
