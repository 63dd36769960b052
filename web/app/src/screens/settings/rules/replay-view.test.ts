import { describe, expect, it } from 'vitest';
import {
  agoText,
  changedFieldsText,
  decisionText,
  defaultReplayRange,
  destinationText,
  lastTestText,
  replayFreshness,
  ruleAndDestinationText,
  rulesetKey,
  summarySentence,
  type LastReplay,
  type ReplaySummary,
} from './replay-view.js';

const summary = (over: Partial<ReplaySummary> = {}): ReplaySummary => ({
  conversations: 340,
  replayed: 337,
  changed: 12,
  unchanged: 325,
  skipped: 3,
  byChange: [],
  skippedReasons: [],
  ...over,
});

describe('the replay screen in words', () => {
  it('defaults to the last 7 days, today included, in the workspace time zone', () => {
    // 2026-03-31 23:30 UTC is already April 1st in Madrid, still March 31st in New York.
    const at = Date.UTC(2026, 2, 31, 23, 30);
    expect(defaultReplayRange('Europe/Madrid', at)).toEqual({ from: '2026-03-26', to: '2026-04-01' });
    expect(defaultReplayRange('America/New_York', at)).toEqual({ from: '2026-03-25', to: '2026-03-31' });
  });

  it('names destinations, sides of a change and decisions', () => {
    expect(destinationText({ queue: 'es-support' })).toBe('queue es-support');
    expect(destinationText({ team: 'oncall' })).toBe('team oncall');
    expect(destinationText({ user: 'ana' })).toBe('user ana');
    expect(ruleAndDestinationText({ rule: 'fallback', destination: { queue: 'general' } })).toBe(
      'fallback → queue general',
    );
    expect(ruleAndDestinationText({ rule: null, destination: null })).toBe('no handoff');
    const decision = {
      trigger: 'customer_requested_human' as const,
      rule: 'enterprise-spanish',
      destination: { queue: 'es-support' },
      assignee: 'ana',
      queue: 'es-support',
      team: 'billing',
      outcome: 'assigned' as const,
    };
    expect(decisionText(decision, (id) => (id === 'ana' ? 'Ana García' : id))).toBe(
      'enterprise-spanish → queue es-support, assigned to Ana García',
    );
    expect(decisionText({ ...decision, assignee: null, outcome: 'queued' })).toBe(
      'enterprise-spanish → queue es-support, unassigned, waiting',
    );
    expect(decisionText({ ...decision, outcome: 'kept_owner' })).toBe(
      'enterprise-spanish → queue es-support, kept with ana',
    );
    expect(decisionText(null)).toBe('no handoff');
    expect(changedFieldsText(['destination', 'customerMessages'])).toBe('destination, customer message');
    expect(changedFieldsText([])).toBe('nothing');
  });

  it('says how many would change, in conversations when each was handed off once', () => {
    expect(summarySentence(summary())).toBe('12 of 340 conversations would change (3 skipped)');
    expect(summarySentence(summary({ skipped: 0, replayed: 340 }))).toBe('12 of 340 conversations would change');
    expect(summarySentence(summary({ conversations: 1, replayed: 1, skipped: 0, changed: 1 }))).toBe(
      '1 of 1 conversation would change',
    );
    // 352 handoffs in 340 conversations: the figures are handoffs, and the sentence says so.
    expect(summarySentence(summary({ replayed: 349 }))).toBe(
      '12 of 352 handoffs (in 340 conversations) would change (3 skipped)',
    );
    expect(summarySentence(summary({ conversations: 0, replayed: 0, skipped: 0, changed: 0 }))).toBe(
      'No conversation was handed off in these dates.',
    );
  });

  it('says how long ago a test ran', () => {
    const now = Date.UTC(2026, 11, 7, 12);
    expect(agoText(now - 20_000, now)).toBe('just now');
    expect(agoText(now - 2 * 60_000 - 5_000, now)).toBe('2 min ago');
    expect(agoText(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(agoText(now - 24 * 3_600_000, now)).toBe('1 day ago');
    expect(agoText(now - 50 * 3_600_000, now)).toBe('2 days ago');
    // A clock a little behind the server's never reads "-1 min ago".
    expect(agoText(now + 5_000, now)).toBe('just now');
  });

  it('keys a ruleset by content, whatever the order of its keys', () => {
    const a = { reviewEvery: '90d', rules: [{ id: 'x', then: { destination: { queue: 'q' }, assignment: 'reassign' } }] };
    const b = { rules: [{ then: { assignment: 'reassign', destination: { queue: 'q' } }, id: 'x' }], reviewEvery: '90d' };
    expect(rulesetKey(a)).toBe(rulesetKey(b));
    // Rule order is meaning (the first match wins): arrays keep theirs.
    expect(rulesetKey({ rules: [1, 2] })).not.toBe(rulesetKey({ rules: [2, 1] }));
    expect(rulesetKey({ ...a, reviewEvery: '30d' })).not.toBe(rulesetKey(a));
  });

  it('tells the publish form what the last test found, and when it is stale', () => {
    const now = Date.UTC(2026, 11, 7, 12);
    const last: LastReplay = { draftKey: 'k1', ranAt: now - 2 * 60_000, from: '2026-12-01', to: '2026-12-07', summary: summary() };
    expect(replayFreshness(null, 'k1')).toBe('none');
    expect(replayFreshness(last, 'k1')).toBe('fresh');
    expect(replayFreshness(last, 'k2')).toBe('stale');
    expect(lastTestText(null, 'k1', now)).toBe('Not tested against past conversations.');
    expect(lastTestText(last, 'k1', now)).toBe(
      'Last test: 12 of 340 conversations would change (3 skipped), run 2 min ago.',
    );
    expect(lastTestText(last, 'k2', now)).toBe(
      'Last test: 12 of 340 conversations would change (3 skipped), run 2 min ago, on an earlier draft: the draft changed since, so the result is stale. Test again before publishing.',
    );
    const empty = { ...last, summary: summary({ conversations: 0, replayed: 0, skipped: 0, changed: 0 }) };
    expect(lastTestText(empty, 'k1', now)).toBe(
      'Last test: no conversation was handed off from 2026-12-01 to 2026-12-07, run 2 min ago.',
    );
  });
});
