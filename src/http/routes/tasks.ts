import type { AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

export function taskRoutes(_deps: RouteDeps): AnyRoute[] {
  return [];
}
