/**
 * Every after-commit job the server runs, built with what they need (the service context for
 * configuration and clock). One entry per job module; the outbox worker claims only these kinds.
 */
import type { z } from 'zod';
import type { ServiceContext } from '../services/context.js';
import { emailReplyJob } from './email-reply-job.js';
import { ratingRequestJob } from './rating-request-job.js';
import { deliverBotframeworkJob } from './botframework-jobs.js';
import { botJobs } from './bot-jobs.js';
import { conversationPublishedJob, eventPublishedJob, messagePublishedJob } from './event-jobs.js';
import { notificationJobs } from './notification-jobs.js';
import { defineJob, type JobDefinition } from './outbox-worker.js';
import { timerJobs } from './timer-jobs.js';
import { webhookSubscriber } from './subscribers/webhooks.js';
import { botframeworkSubscriber } from './subscribers/botframework.js';
import type { RealtimePublisher } from './subscribers/realtime-stream.js';
import type { Subscriber } from './subscribers/subscriber.js';
import { metricsSubscriber } from './subscribers/metrics.js';
import type { HandoffMetricsSink } from './metrics/handoff-metrics.js';

export interface JobDeps {
  readonly ctx: ServiceContext;
  /** The realtime stream publisher (a subscriber that also wakes sockets after each job's commit). */
  readonly realtime?: RealtimePublisher;
  /** The handoff metrics (/metrics), counted after each publish job's commit. */
  readonly metrics?: HandoffMetricsSink;
}

/** Who reacts to conversation events and messages (realtime stream, webhooks …). */
export function buildSubscribers(deps: JobDeps): Subscriber[] {
  return [
    webhookSubscriber(deps.ctx),
    botframeworkSubscriber(deps.ctx),
    ...(deps.realtime === undefined ? [] : [deps.realtime]),
    ...(deps.metrics === undefined ? [] : [metricsSubscriber(deps.ctx, deps.metrics)]),
  ];
}

export function buildJobs(deps: JobDeps): JobDefinition<z.ZodType>[] {
  const subscribers = buildSubscribers(deps);
  const jobs = [
    ...notificationJobs(deps.ctx),
    defineJob(conversationPublishedJob(subscribers)),
    defineJob(eventPublishedJob(subscribers)),
    defineJob(messagePublishedJob(subscribers)),
    ...timerJobs(deps.ctx),
    defineJob(emailReplyJob(deps.ctx)),
    defineJob(ratingRequestJob(deps.ctx)),
    defineJob(deliverBotframeworkJob(deps.ctx)),
    ...botJobs(deps.ctx),
  ];
  const { realtime } = deps;
  return realtime === undefined ? jobs : jobs.map((job) => realtime.decorate(job));
}
