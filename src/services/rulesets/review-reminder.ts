/**
 * The review reminder: when the active rules' `reviewEvery` (default 90d) has passed since they were
 * last reviewed (publishing counts), every active admin is told in the app and — when the
 * workspace sends email — by email, again each week until someone marks the rules reviewed or
 * publishes new ones. A durable timer: an outbox row armed in the transaction that publishes or
 * reviews (armRulesetReview), run by the outbox worker in its own transaction
 * (remindRulesetReview), which re-reads the active version: a timer made stale by a newer review
 * or publish does nothing (decideReviewReminder), and one that runs twice names the same round,
 * so the notifications' idempotency keys enqueue them once.
 */
import { Ruleset } from '../../contract/config.js';
import { decideReviewReminder, type ReviewReminderDecision } from '../../core/decide-timer.js';
import { parseDurationSeconds } from '../../core/duration.js';
import type { Executor } from '../../store/database.js';
import { listUserAccess } from '../../store/repositories/invitations.js';
import { enqueue } from '../../store/repositories/outbox.js';
import { getActiveRuleset, type RulesetVersionRecord } from '../../store/repositories/rulesets.js';
import { lockWorkspace } from '../../store/repositories/workspace-lock.js';
import type { ServiceContext } from '../context.js';
import { enqueueNotification } from '../notifications/enqueue-notification.js';

export const RULESET_REVIEW_TIMER = 'timer.ruleset.review';
export const REVIEW_DUE_NOTIFICATION = 'ruleset.review_due';

export interface RulesetReviewPayload {
  readonly version: number;
  /** The review (or publish) the timer was armed for. */
  readonly reviewedAt: number;
}

/** `reviewEvery` of a stored ruleset in seconds (90 days when it cannot be read). */
function reviewEverySeconds(stored: unknown): number {
  const parsed = Ruleset.safeParse(stored);
  return parseDurationSeconds(parsed.success ? parsed.data.reviewEvery : '90d');
}

async function armAt(trx: Executor, payload: RulesetReviewPayload, at: number, now: number): Promise<void> {
  await enqueue(trx, {
    kind: RULESET_REVIEW_TIMER,
    idempotencyKey: `ruleset:${payload.version}:${RULESET_REVIEW_TIMER}:${payload.reviewedAt}:${at}`,
    payload,
    availableAt: at,
    now,
  });
}

/** Arm the reminder of a version just published or reviewed, in that transaction. */
export async function armRulesetReview(trx: Executor, record: RulesetVersionRecord, now: number): Promise<void> {
  const reviewedAt = record.reviewedAt ?? record.createdAt;
  await armAt(trx, { version: record.version, reviewedAt }, reviewedAt + reviewEverySeconds(record.ruleset) * 1000, now);
}

/** The timer fell due (inside the outbox job's transaction). */
export async function remindRulesetReview(trx: Executor, ctx: ServiceContext, payload: RulesetReviewPayload, now: number): Promise<ReviewReminderDecision> {
  // Serialised with publishing (which takes the same lock): the active version read is the one that stays.
  await lockWorkspace(trx, ctx.database.dialect);
  const active = await getActiveRuleset(trx);
  const decision = decideReviewReminder({
    now,
    active: active === null ? null : { version: active.version, reviewedAt: active.reviewedAt ?? active.createdAt, reviewEverySeconds: reviewEverySeconds(active.ruleset) },
    timerVersion: payload.version,
    timerReviewedAt: payload.reviewedAt,
  });
  if (!decision.remind) {
    if (decision.reason === 'not_due') await armAt(trx, payload, decision.dueAt, now);
    return decision;
  }
  const { config } = await ctx.workspace.current(trx);
  const access = await listUserAccess(trx);
  const admins = config.users.filter((u) => u.role === 'admin' && (access.get(u.id)?.deactivatedAt ?? null) === null).map((u) => u.id);
  if (admins.length === 0) {
    ctx.logger.warn({ version: payload.version }, 'the rules review is due and there is no active admin to remind');
  } else {
    const due = new Date(decision.dueAt).toISOString();
    const base = (ctx.env.BATON_PUBLIC_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
    const notification = {
      conversationId: null,
      recipients: admins,
      type: REVIEW_DUE_NOTIFICATION,
      title: 'Time to review the handoff rules',
      body:
        decision.round === 0
          ? `Version ${payload.version} of the rules was last reviewed on ${new Date(payload.reviewedAt).toISOString().slice(0, 10)}. Check they still fit, then mark them reviewed on the rules screen.`
          : `The rules review has been due since ${due.slice(0, 10)}. Check the rules still fit, then mark them reviewed on the rules screen.`,
      data: { version: payload.version, reviewedAt: new Date(payload.reviewedAt).toISOString(), dueAt: due, round: decision.round, link: `${base}/settings/rules`, linkLabel: 'Open the rules' },
    };
    const key = `ruleset:${payload.version}:review_due:${payload.reviewedAt}:${decision.round}`;
    await enqueueNotification(trx, { channel: 'in_app', idempotencyKey: `${key}:notify.in_app`, payload: notification, now });
    const smtpUrl = config.notifications.email?.smtpUrl;
    if (smtpUrl !== undefined && smtpUrl !== '') {
      await enqueueNotification(trx, { channel: 'email', idempotencyKey: `${key}:notify.email`, payload: notification, now });
    }
  }
  await armAt(trx, payload, decision.nextAt, now);
  return decision;
}
