import type { AnyRoute } from '../route.js';
import { appRoutes } from './app.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { botRoutes } from './bots.js';
import { configRoutes } from './config.js';
import { contactRoutes } from './contacts.js';
import { conversationRoutes } from './conversations.js';
import { deliveryRoutes } from './deliveries.js';
import type { RouteDeps } from './deps.js';
import { directoryRoutes } from './directory.js';
import { emailInboundRoutes } from './email-inbound.js';
import { notificationRoutes } from './notifications.js';
import { playbookRoutes } from './playbook.js';
import { ratingPageRoutes } from './rating-page.js';
import { peopleRoutes } from './people.js';
import { realtimeRoutes } from './realtime.js';
import { reportRoutes } from './reports.js';
import { replayRoutes } from './replay.js';
import { rulesetRoutes } from './ruleset.js';
import { savedReplyRoutes } from './saved-replies.js';
import { simulateRoutes } from './simulate.js';
import { systemRoutes } from './system.js';
import { taskRoutes } from './tasks.js';
import { webRoutes } from './web.js';
import { widgetRoutes } from './widget.js';

/** Every route of the server, grouped by resource (one module each). */
export function allRoutes(deps: RouteDeps): AnyRoute[] {
  const routes = [
    ...authRoutes(deps),
    ...peopleRoutes(deps),
    ...configRoutes(deps),
    ...directoryRoutes(deps),
    ...rulesetRoutes(deps),
    ...playbookRoutes(deps),
    ...simulateRoutes(deps),
    ...replayRoutes(deps),
    ...conversationRoutes(deps),
    ...contactRoutes(deps),
    ...widgetRoutes(deps),
    ...taskRoutes(deps),
    ...savedReplyRoutes(deps),
    ...notificationRoutes(deps),
    ...deliveryRoutes(deps),
    ...auditRoutes(deps),
    ...reportRoutes(deps),
    ...realtimeRoutes(deps),
    ...emailInboundRoutes(deps),
    ...botRoutes(deps),
    ...webRoutes(deps),
    ...ratingPageRoutes(deps),
  ];
  // System routes after the API: they serve the OpenAPI document of all the others. The agent
  // app's catch-all GET is not part of the API document.
  return [...routes, ...systemRoutes(deps, routes), ...appRoutes()];
}
