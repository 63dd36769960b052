import type { AnyRoute } from '../route.js';
import type { RouteDeps } from './deps.js';

export function directoryRoutes(_deps: RouteDeps): AnyRoute[] {
  return [];
}
