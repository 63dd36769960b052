import { describe, expect, it } from 'vitest';
import { REVIEW_REMINDER_REPEAT_MS, decideAutoClose, decideReviewReminder } from './decide-timer.js';

const DAY = 86_400_000;

describe('decideAutoClose', () => {
  const resolvedAt = 1_000 * DAY;
  const base = { now: resolvedAt + 7 * DAY, status: 'resolved' as const, resolvedAt, timerResolvedAt: resolvedAt, autoCloseAfterSeconds: 7 * 86_400 };

  it('closes a conversation resolved for the whole delay', () => {
    expect(decideAutoClose(base)).toEqual({ close: true });
  });
  it('leaves a reopened conversation open', () => {
    expect(decideAutoClose({ ...base, status: 'assigned', resolvedAt: null })).toEqual({ close: false, reason: 'not_resolved' });
  });
  it('leaves a conversation resolved again later to the newer timer', () => {
    expect(decideAutoClose({ ...base, resolvedAt: resolvedAt + DAY })).toEqual({ close: false, reason: 'superseded' });
  });
  it('waits when the delay was made longer since', () => {
    expect(decideAutoClose({ ...base, autoCloseAfterSeconds: 10 * 86_400 })).toEqual({ close: false, reason: 'not_due', dueAt: resolvedAt + 10 * DAY });
  });
});

describe('decideReviewReminder', () => {
  const reviewedAt = 500 * DAY;
  const active = { version: 3, reviewedAt, reviewEverySeconds: 90 * 86_400 };
  const base = { now: reviewedAt + 90 * DAY, active, timerVersion: 3, timerReviewedAt: reviewedAt };

  it('reminds at the due time, then again a week later', () => {
    expect(decideReviewReminder(base)).toEqual({ remind: true, round: 0, dueAt: reviewedAt + 90 * DAY, nextAt: reviewedAt + 90 * DAY + REVIEW_REMINDER_REPEAT_MS });
    const late = decideReviewReminder({ ...base, now: reviewedAt + 90 * DAY + REVIEW_REMINDER_REPEAT_MS + 5 });
    expect(late).toMatchObject({ remind: true, round: 1, nextAt: reviewedAt + 90 * DAY + 2 * REVIEW_REMINDER_REPEAT_MS });
  });
  it('names the same round when the timer runs twice', () => {
    expect(decideReviewReminder({ ...base, now: base.now + 1000 })).toEqual(decideReviewReminder(base));
  });
  it('stops once the rules were reviewed or published again', () => {
    expect(decideReviewReminder({ ...base, active: { ...active, reviewedAt: reviewedAt + 80 * DAY } })).toEqual({ remind: false, reason: 'superseded' });
    expect(decideReviewReminder({ ...base, active: { ...active, version: 4 } })).toEqual({ remind: false, reason: 'superseded' });
    expect(decideReviewReminder({ ...base, active: null })).toEqual({ remind: false, reason: 'superseded' });
  });
  it('waits when reviewEvery was made longer since', () => {
    expect(decideReviewReminder({ ...base, active: { ...active, reviewEverySeconds: 120 * 86_400 } })).toEqual({ remind: false, reason: 'not_due', dueAt: reviewedAt + 120 * DAY });
  });
});
