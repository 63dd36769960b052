import { isDeepStrictEqual } from 'node:util';
import type { FieldChange, RulesetDiff } from '../contract/admin-api.js';
import type { Rule, RuleAction, Ruleset } from '../contract/config.js';

/** Fields of a rule, in the order people read them; `then` is compared one level deeper. */
const RULE_FIELDS = ['description', 'enabled', 'when', 'if'] as const;
const ACTION_FIELDS = ['destination', 'assignment', 'message', 'notify', 'tasks', 'set'] as const;

/**
 * What changed from `before` to `after`, rule by rule (matched by id): added, removed, changed
 * (with each changed field's old and new value) and moved — rules are ordered and the first match
 * wins, so a reordering changes routing as much as an edit does. "Moved" are the
 * rules outside the longest common order of the rules both sides share, so inserting a rule at the
 * top does not report every other rule as moved. Pure: the API and the web app's history view show it.
 */
export function diffRulesets(before: Ruleset, after: Ruleset): RulesetDiff {
  const beforeById = new Map(before.rules.map((rule, index) => [rule.id, { rule, index }]));
  const afterById = new Map(after.rules.map((rule, index) => [rule.id, { rule, index }]));

  const added = after.rules.flatMap((rule, index) => (beforeById.has(rule.id) ? [] : [{ id: rule.id, index, rule }]));
  const removed = before.rules.flatMap((rule, index) => (afterById.has(rule.id) ? [] : [{ id: rule.id, index, rule }]));

  const changed: RulesetDiff['changed'] = [];
  for (const rule of after.rules) {
    const old = beforeById.get(rule.id);
    if (old === undefined) continue;
    const fields = diffRule(old.rule, rule);
    if (fields.length > 0) changed.push({ id: rule.id, fields });
  }

  const commonBefore = before.rules.map((r) => r.id).filter((id) => afterById.has(id));
  const commonAfter = after.rules.map((r) => r.id).filter((id) => beforeById.has(id));
  const kept = new Set(longestCommonSubsequence(commonBefore, commonAfter));
  const moved = commonAfter
    .filter((id) => !kept.has(id))
    .map((id) => ({ id, from: beforeById.get(id)?.index ?? -1, to: afterById.get(id)?.index ?? -1 }));

  const fallback = diffAction(before.fallback, after.fallback, '');
  const settings: FieldChange[] = before.reviewEvery === after.reviewEvery ? [] : [{ field: 'reviewEvery', before: before.reviewEvery, after: after.reviewEvery }];

  const identical = added.length + removed.length + changed.length + moved.length + fallback.length + settings.length === 0;
  return { added, removed, changed, moved, fallback, settings, identical };
}

function diffRule(before: Rule, after: Rule): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of RULE_FIELDS) {
    if (!isDeepStrictEqual(before[field], after[field])) out.push({ field, before: before[field], after: after[field] });
  }
  out.push(...diffAction(before.then, after.then, 'then.'));
  return out;
}

function diffAction(before: RuleAction, after: RuleAction, prefix: string): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of ACTION_FIELDS) {
    if (!isDeepStrictEqual(before[field], after[field])) out.push({ field: `${prefix}${field}`, before: before[field], after: after[field] });
  }
  return out;
}

/** Classic dynamic programme; rulesets hold tens of rules, so O(n·m) is nothing. */
function longestCommonSubsequence(a: readonly string[], b: readonly string[]): string[] {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table: number[] = new Array<number>(rows * cols).fill(0);
  const cell = (i: number, j: number): number => table[i * cols + j] ?? 0;
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * cols + j] = a[i] === b[j] ? cell(i + 1, j + 1) + 1 : Math.max(cell(i + 1, j), cell(i, j + 1));
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i] ?? '');
      i++;
      j++;
    } else if (cell(i + 1, j) >= cell(i, j + 1)) i++;
    else j++;
  }
  return out;
}

/** At most this many rule ids per list in `describeRulesetDiff`'s sentence (the rest are counted). */
const MAX_IDS = 5;

/**
 * A ruleset diff in one short sentence, for the audit log ("added rule vip; changed rule urgent-flag
 * (then.destination); reviewEvery 90d → 30d"). Bounded: a few ids per kind, the rest counted.
 */
export function describeRulesetDiff(diff: RulesetDiff): string {
  if (diff.identical) return 'no changes';
  const ids = (list: readonly string[]): string =>
    list.length <= MAX_IDS ? list.join(', ') : `${list.slice(0, MAX_IDS).join(', ')} and ${list.length - MAX_IDS} more`;
  const rules = (n: number): string => (n === 1 ? 'rule' : 'rules');
  const parts: string[] = [];
  if (diff.added.length > 0) parts.push(`added ${rules(diff.added.length)} ${ids(diff.added.map((r) => r.id))}`);
  if (diff.removed.length > 0) parts.push(`removed ${rules(diff.removed.length)} ${ids(diff.removed.map((r) => r.id))}`);
  if (diff.changed.length > 0) {
    const shown = diff.changed.slice(0, MAX_IDS).map((c) => `${c.id} (${c.fields.map((f) => f.field).join(', ')})`);
    parts.push(`changed ${rules(diff.changed.length)} ${shown.join(', ')}${diff.changed.length > MAX_IDS ? ` and ${diff.changed.length - MAX_IDS} more` : ''}`);
  }
  if (diff.moved.length > 0) parts.push(`moved ${rules(diff.moved.length)} ${ids(diff.moved.map((m) => m.id))}`);
  if (diff.fallback.length > 0) parts.push(`changed the fallback (${diff.fallback.map((f) => f.field).join(', ')})`);
  for (const setting of diff.settings) parts.push(`${setting.field} ${String(setting.before)} → ${String(setting.after)}`);
  return parts.join('; ');
}
