/**
 * The simulator form's choices as the scenario (docs/configuration.md "Simulation scenarios") takes them:
 * which ruleset, which trigger, and what to expect. Pure, so every mapping is a unit test
 * (scenario-form.test.ts); Simulator.tsx holds the state.
 */
import type { RulesetVersionSummary, Scenario } from '../../api.js';
import type { Trigger } from '../../../../../src/contract/common.js';
import { TRIGGER_LABELS } from '../../format.js';

/** A select's value for "no value" (`null` in the scenario): no handoff, nobody, no queue. */
export const NONE = '(none)';

export const TRIGGERS = Object.keys(TRIGGER_LABELS) as Trigger[];
const isTrigger = (value: string): value is Trigger => (TRIGGERS as string[]).includes(value);

export type RulesetChoice = Scenario['ruleset'];

/** The picker's value (`active`, `draft` or a version number as text) as the scenario's `ruleset`. */
export function rulesetFromChoice(value: string): RulesetChoice {
  if (value === 'draft') return 'draft';
  const version = Number(value);
  return /^\d+$/.test(value) && Number.isInteger(version) && version >= 1 ? version : 'active';
}

/** `Active (version 3)`, `Draft`, then every version newest first with its summary. */
export function rulesetOptions(versions: readonly RulesetVersionSummary[]): { value: string; label: string }[] {
  const active = versions.find((v) => v.active);
  return [
    { value: 'active', label: active === undefined ? 'Active' : `Active (version ${active.version})` },
    { value: 'draft', label: 'Draft' },
    ...[...versions]
      .sort((a, b) => b.version - a.version)
      .map((v) => ({ value: String(v.version), label: `Version ${v.version}${v.active ? ' (active)' : ''}${v.summary !== null && v.summary !== '' ? ` · ${v.summary}` : ''}` })),
  ];
}

/** The trigger field: empty means "decided from the customer's messages". */
export function triggerFromChoice(value: string): Trigger | undefined {
  return isTrigger(value) ? value : undefined;
}

/** The expect fields as typed or chosen: '' is "not checked", NONE is an expected null. */
export interface ExpectForm {
  readonly trigger: string;
  readonly rule: string;
  /** `queue:es-support`, `team:billing`, `user:ana` or ''. */
  readonly destination: string;
  readonly assignee: string;
  readonly queue: string;
  readonly outcome: string;
  readonly language: string;
}

export const emptyExpectForm: ExpectForm = { trigger: '', rule: '', destination: '', assignee: '', queue: '', outcome: '', language: '' };

export const OUTCOMES = ['assigned', 'queued', 'kept_owner', 'answered', 'deferred'] as const;
type ExpectedOutcome = (typeof OUTCOMES)[number];
const isOutcome = (value: string): value is ExpectedOutcome => (OUTCOMES as readonly string[]).includes(value);

export const OUTCOME_LABELS: Record<ExpectedOutcome, string> = {
  assigned: 'Assigned to a person',
  queued: 'Queued',
  kept_owner: 'Kept with its owner',
  answered: 'Answered by the AI agent',
  deferred: 'Deferred to the external assistant',
};

type Expect = NonNullable<Scenario['expect']>;
type Destination = NonNullable<Expect['destination']>;

function destinationFromChoice(value: string): Destination | undefined {
  const [kind, id] = value.split(':', 2);
  if (id === undefined || id === '') return undefined;
  if (kind === 'queue') return { queue: id };
  if (kind === 'team') return { team: id };
  if (kind === 'user') return { user: id };
  return undefined;
}

const nullable = (value: string): string | null | undefined => (value === '' ? undefined : value === NONE ? null : value);

/** The scenario's `expect`, or undefined when nothing is checked (so the saved YAML stays short). */
export function buildExpect(form: ExpectForm): Expect | undefined {
  const expect: Expect = {};
  if (form.trigger === NONE) expect.trigger = null;
  else if (isTrigger(form.trigger)) expect.trigger = form.trigger;
  if (form.rule.trim() !== '') expect.rule = form.rule.trim();
  const destination = destinationFromChoice(form.destination);
  if (destination !== undefined) expect.destination = destination;
  const assignee = nullable(form.assignee);
  if (assignee !== undefined) expect.assignee = assignee;
  const queue = nullable(form.queue);
  if (queue !== undefined) expect.queue = queue;
  if (isOutcome(form.outcome)) expect.outcome = form.outcome;
  if (form.language.trim() !== '') expect.language = form.language.trim();
  return Object.keys(expect).length === 0 ? undefined : expect;
}

/** An expected or actual value in words: `none` for null, `queue es-support` for a destination. */
export function expectationValue(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0] !== undefined && typeof entries[0][1] === 'string') return `${entries[0][0]} ${entries[0][1]}`;
  }
  return JSON.stringify(value);
}
