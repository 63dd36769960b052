import type { Migration } from 'kysely';
import * as initial from './2026-11-25-initial.js';
import * as notificationPreferences from './2026-11-26-notification-preferences.js';
import * as realtimeStream from './2026-11-26-realtime-stream.js';
import * as botframework from './2026-11-27-botframework.js';
import * as emailChannel from './2026-11-27-email-channel.js';
import * as ownerLoadIndex from './2026-11-27-owner-load-index.js';
import * as inboxViews from './2026-11-28-inbox-views.js';
import * as openLoads from './2026-11-29-open-loads.js';
import * as outboxWaiting from './2026-11-29-outbox-waiting.js';
import * as teamWaiting from './2026-11-29-team-waiting.js';
import * as traceOnce from './2026-11-30-trace-once.js';
import * as waitingLineIndex from './2026-12-01-waiting-line-index.js';
import * as agentStatesHead from './2026-12-02-agent-states-head.js';
import * as handoffPromise from './2026-12-03-handoff-promise.js';
import * as invitations from './2026-12-07-invitations.js';
import * as savedReplies from './2026-12-07-saved-replies.js';
import * as search from './2026-12-07-search.js';
import * as botTokenChannels from './2026-12-08-bot-token-channels.js';
import * as metricsIndexes from './2026-12-09-metrics-indexes.js';
import * as reports from './2026-12-09-reports.js';
import * as ratingsPerResolution from './2026-12-09-ratings-per-resolution.js';
import * as previousConversation from './2026-12-09-previous-conversation.js';
import * as firstResponseIndexes from './2026-12-10-first-response-indexes.js';
import * as rulesetReviewer from './2026-12-09-ruleset-reviewer.js';
import * as clusterLeases from './2026-12-10-cluster-leases.js';
import * as reportScanIndex from './2026-12-10-report-scan-index.js';

/**
 * Every migration, by name, in the order they apply (names sort by date). A static object of
 * imports rather than a folder scan, so the same list runs from dist/ and under tsx.
 * Append only: a released migration is never edited or removed.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '2026-11-25-initial': initial,
  '2026-11-26-notification-preferences': notificationPreferences,
  '2026-11-26-realtime-stream': realtimeStream,
  '2026-11-27-botframework': botframework,
  '2026-11-27-email-channel': emailChannel,
  '2026-11-27-owner-load-index': ownerLoadIndex,
  '2026-11-28-inbox-views': inboxViews,
  '2026-11-29-open-loads': openLoads,
  '2026-11-29-outbox-waiting': outboxWaiting,
  '2026-11-29-team-waiting': teamWaiting,
  '2026-11-30-trace-once': traceOnce,
  '2026-12-01-waiting-line-index': waitingLineIndex,
  '2026-12-02-agent-states-head': agentStatesHead,
  '2026-12-03-handoff-promise': handoffPromise,
  '2026-12-07-invitations': invitations,
  '2026-12-07-saved-replies': savedReplies,
  '2026-12-07-search': search,
  '2026-12-08-bot-token-channels': botTokenChannels,
  '2026-12-09-metrics-indexes': metricsIndexes,
  '2026-12-09-reports': reports,
  '2026-12-09-ratings-per-resolution': ratingsPerResolution,
  '2026-12-09-previous-conversation': previousConversation,
  '2026-12-09-ruleset-reviewer': rulesetReviewer,
  '2026-12-10-cluster-leases': clusterLeases,
  '2026-12-10-first-response-indexes': firstResponseIndexes,
  '2026-12-10-report-scan-index': reportScanIndex,
};
