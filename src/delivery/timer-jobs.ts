/**
 * Timers are outbox rows due at their instant:
 * decide-and-record-handoff.ts writes `timer.sla.first_response` and `timer.queue.overflow` with each
 * handoff, the task repository writes `timer.task.due` whenever a task gets a due time. The worker
 * sleeps until the next due row (`nextDueAt`), so a timer fires at its instant, survives a
 * restart, and — the row marked done in the job's own transaction — fires once. Each job re-reads
 * the state under the conversation's (or task's) row lock: a timer made stale by a reply, a newer
 * handoff or a resolve does nothing. No cron flips state (RC #4898: cron jobs drifted).
 */
import { z } from 'zod';
import { breachSla } from '../services/handoff/breach-sla.js';
import type { ServiceContext } from '../services/context.js';
import { overflowQueue } from '../services/handoff/overflow-queue.js';
import { remindDueTask } from '../services/tasks/remind-due-task.js';
import { AUTO_CLOSE_TIMER, autoCloseConversation } from '../services/conversations/auto-close-conversation.js';
import { RULESET_REVIEW_TIMER, remindRulesetReview } from '../services/rulesets/review-reminder.js';
import { TASK_DUE_TIMER } from '../store/repositories/tasks.js';
import { defineJob, type JobDefinition, type TransactionalJob } from './outbox-worker.js';

/** The payload of decide-and-record-handoff.ts's timer rows. */
export const HandoffTimerPayload = z.object({
  conversationId: z.string().min(1),
  queue: z.string().min(1),
  handoffSeq: z.number().int().min(0),
});

export const TaskTimerPayload = z.object({ taskId: z.string().min(1) });

/** A timer job fails only on a database error: retry soon, a few times, then dead-letter loudly. */
const RETRY = { attempts: 8, backoffMs: 1_000 } as const;

export function slaFirstResponseJob(ctx: ServiceContext): TransactionalJob<typeof HandoffTimerPayload> {
  return {
    kind: 'timer.sla.first_response',
    payload: HandoffTimerPayload,
    retry: RETRY,
    async run(trx, payload, _item, now) {
      const result = await breachSla(trx, ctx, payload, now);
      if (result.outcome === 'breached') {
        ctx.logger.info({ conversationId: payload.conversationId, queue: payload.queue, ...result }, 'SLA first response breached');
      }
    },
    // A re-route may have taken the conversation from an agent who did not reply: their capacity
    // freed, so waiting conversations are offered again (CW #10583).
    onDone: () => ctx.afterCommit({ kind: 'assign_waiting' }),
  };
}

export function queueOverflowJob(ctx: ServiceContext): TransactionalJob<typeof HandoffTimerPayload> {
  return {
    kind: 'timer.queue.overflow',
    payload: HandoffTimerPayload,
    retry: RETRY,
    async run(trx, payload) {
      const result = await overflowQueue(trx, ctx, payload);
      if (result.outcome === 'moved') {
        ctx.logger.info({ conversationId: payload.conversationId, from: payload.queue, to: result.to }, 'queue overflow');
      }
    },
    onDone: () => ctx.afterCommit({ kind: 'assign_waiting' }),
  };
}

export function taskDueJob(ctx: ServiceContext): TransactionalJob<typeof TaskTimerPayload> {
  return {
    kind: TASK_DUE_TIMER,
    payload: TaskTimerPayload,
    retry: RETRY,
    async run(trx, payload, _item, now) {
      await remindDueTask(trx, ctx, payload.taskId, now);
    },
  };
}

export const AutoCloseTimerPayload = z.object({ conversationId: z.string().min(1), resolvedAt: z.number().int() });

/** `timer.conversation.auto_close`: a resolved conversation closes (auto-close-conversation.ts). */
export function autoCloseJob(ctx: ServiceContext): TransactionalJob<typeof AutoCloseTimerPayload> {
  return {
    kind: AUTO_CLOSE_TIMER,
    payload: AutoCloseTimerPayload,
    retry: RETRY,
    async run(trx, payload, _item, now) {
      const result = await autoCloseConversation(trx, ctx, payload, now);
      if (result.outcome === 'closed') ctx.logger.info({ conversationId: payload.conversationId }, 'resolved conversation closed');
    },
  };
}

export const RulesetReviewTimerPayload = z.object({ version: z.number().int().min(1), reviewedAt: z.number().int() });

/** `timer.ruleset.review`: admins are reminded to review the rules, weekly while overdue (review-reminder.ts). */
export function rulesetReviewJob(ctx: ServiceContext): TransactionalJob<typeof RulesetReviewTimerPayload> {
  return {
    kind: RULESET_REVIEW_TIMER,
    payload: RulesetReviewTimerPayload,
    retry: RETRY,
    async run(trx, payload, _item, now) {
      const decision = await remindRulesetReview(trx, ctx, payload, now);
      if (decision.remind) ctx.logger.info({ version: payload.version, round: decision.round }, 'rules review reminder sent');
    },
    onDone: () => ctx.afterCommit({ kind: 'outbox' }),
  };
}

export function timerJobs(ctx: ServiceContext): JobDefinition<z.ZodType>[] {
  return [defineJob(slaFirstResponseJob(ctx)), defineJob(queueOverflowJob(ctx)), defineJob(taskDueJob(ctx)), defineJob(autoCloseJob(ctx)), defineJob(rulesetReviewJob(ctx))];
}
