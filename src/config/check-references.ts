import type { z } from 'zod';
import { ChannelType, Priority, Trigger } from '../contract/common.js';
import type { Condition, OperatorSpec } from '../contract/conditions.js';
import {
  AssistantConfig,
  ChannelConfig,
  IntentConfig,
  KnowledgeConfig,
  NotificationsConfig,
  QueueConfig,
  Rule,
  RuleAction,
  ScheduleConfig,
  TeamConfig,
  UserConfig,
  WebhookTarget,
} from '../contract/config.js';
import type { Destination, TaskAssignee } from '../contract/config.js';
import { formatPath } from '../contract/issues.js';
import { parseDurationSeconds } from '../core/duration.js';
import type { ConfigProblem, PathKey } from './config-problem.js';
import { isPlainObject } from './interpolate-env.js';
import { didYouMean } from './suggest-closest.js';

/** Rules write `{ user: contact_owner }` for the contact's account owner, so no user may be called that. */
export const CONTACT_OWNER = 'contact_owner';
/** Longest `assistant.llm.timeout` (ms): under the outbox worker's 30 s lease. */
export const MAX_LLM_TIMEOUT_MS = 25_000;
/** The trace names the fallback rule `fallback` (core/rules), so no rule may be called that. */
export const FALLBACK_RULE_ID = 'fallback';

export interface ReferenceReport {
  readonly problems: ConfigProblem[];
  readonly warnings: ConfigProblem[];
}

interface Entry<T> {
  readonly index: number;
  readonly path: readonly PathKey[];
  readonly value: T;
}

interface Section<T> {
  /** Items that pass their own schema; only these stand for their section in other items' checks. */
  readonly valid: Entry<T>[];
  /**
   * The valid items, and those that failed their schema in a part that can be left out (see
   * `salvage`): each item's own checks (its references above all) run on these.
   */
  readonly checked: Entry<T>[];
  /** Every id written, valid item or not, so one broken item does not turn every reference to it into a problem. */
  readonly ids: Set<string>;
}

const VALUE_OPERATORS = ['eq', 'neq', 'in', 'nin'] as const;
const ORDER_OPERATORS = ['gt', 'gte', 'lt', 'lte'] as const;

/**
 * What the schema cannot see: references between objects (a queue's team, a rule's
 * destination, a condition's schedule or channel), duplicate ids, overflow cycles and settings that
 * need one another. Works on the document before it is known to be valid, item by item, so a
 * document with a schema problem and a broken reference reports both — also in the same item: a
 * queue whose `sla` is invalid still has its team checked (the schema reports the `sla`).
 */
export function checkReferences(document: unknown): ReferenceReport {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  /** Items checked without the parts that failed their schema (see `salvage`). */
  const salvaged: { readonly item: string; readonly dropped: readonly string[] }[] = [];
  /** Problems found on the items as written (duplicate ids), which leaving parts out cannot cause. */
  const asWritten = new Set<ConfigProblem>();
  const problem = (path: readonly PathKey[], message: string): void => {
    problems.push({ path: formatPath(path), message });
  };
  const warning = (path: readonly PathKey[], message: string): void => {
    warnings.push({ path: formatPath(path), message });
  };

  const section = <T>(path: readonly PathKey[], schema: z.ZodType<T>, kind: string): Section<T> => {
    const items = at(document, path);
    const valid: Entry<T>[] = [];
    const checked: Entry<T>[] = [];
    const ids = new Set<string>();
    if (!Array.isArray(items)) return { valid, checked, ids };
    const firstIndex = new Map<string, number>();
    items.forEach((item: unknown, index) => {
      const itemPath = [...path, index];
      const id = isPlainObject(item) && typeof item.id === 'string' ? item.id : undefined;
      if (id !== undefined) {
        const first = firstIndex.get(id);
        if (first === undefined) firstIndex.set(id, index);
        else {
          problem([...itemPath, 'id'], `duplicate ${kind} id "${id}" (first defined at ${formatPath([...path, first])})`);
          asWritten.add(problems[problems.length - 1] as ConfigProblem);
        }
        ids.add(id);
      }
      const parsed = schema.safeParse(item);
      if (parsed.success) {
        valid.push({ index, path: itemPath, value: parsed.data });
        checked.push({ index, path: itemPath, value: parsed.data });
        return;
      }
      const rest = salvage(schema, item);
      if (rest === undefined) return;
      checked.push({ index, path: itemPath, value: rest.value });
      salvaged.push({ item: formatPath(itemPath), dropped: rest.dropped.map((part) => formatPath([...itemPath, ...part])) });
    });
    return { valid, checked, ids };
  };
  const single = <T>(path: readonly PathKey[], schema: z.ZodType<T>): T | undefined => {
    const parsed = schema.safeParse(at(document, path));
    return parsed.success ? parsed.data : undefined;
  };
  /** Like `single`, but an invalid value is checked without its invalid parts, as items are. */
  const singleChecked = <T>(path: readonly PathKey[], schema: z.ZodType<T>): T | undefined => {
    const value = at(document, path);
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    if (value === undefined) return undefined;
    const rest = salvage(schema, value);
    if (rest === undefined) return undefined;
    salvaged.push({ item: formatPath(path), dropped: rest.dropped.map((part) => formatPath([...path, ...part])) });
    return rest.value;
  };

  const schedules = section(['schedules'], ScheduleConfig, 'schedule');
  const users = section(['users'], UserConfig, 'user');
  const teams = section(['teams'], TeamConfig, 'team');
  const queues = section(['queues'], QueueConfig, 'queue');
  const channels = section(['channels'], ChannelConfig, 'channel');
  section(['knowledge'], KnowledgeConfig, 'knowledge article');
  const intents = section(['assistant', 'intents'], IntentConfig, 'intent');
  const rules = section(['handoff', 'rules'], Rule, 'rule');
  const fallback = singleChecked(['handoff', 'fallback'], RuleAction);
  // Absent sections take their defaults; invalid ones are skipped (the schema reports them).
  const assistant = single(['assistant'], AssistantConfig.default(AssistantConfig.parse({})));
  const notifications = single(['notifications'], NotificationsConfig.default(NotificationsConfig.parse({})));

  const reference = (path: readonly PathKey[], kind: string, id: string, known: Set<string>): void => {
    if (!known.has(id)) problem(path, `unknown ${kind} "${id}"${didYouMean(id, known)}`);
  };

  const checkDestination = (destination: Destination, path: readonly PathKey[], allowContactOwner: boolean): void => {
    if ('user' in destination) {
      if (destination.user === CONTACT_OWNER) {
        if (!allowContactOwner) {
          problem([...path, 'user'], `${CONTACT_OWNER} is only allowed in a rule: not every contact has an owner, and this route must always lead somewhere`);
        }
      } else {
        reference([...path, 'user'], 'user', destination.user, users.ids);
      }
    } else if ('team' in destination) {
      reference([...path, 'team'], 'team', destination.team, teams.ids);
    } else {
      reference([...path, 'queue'], 'queue', destination.queue, queues.ids);
    }
  };

  const checkAssignee = (assignee: TaskAssignee, path: readonly PathKey[]): void => {
    if (assignee === 'owner') return;
    if ('user' in assignee) reference([...path, 'user'], 'user', assignee.user, users.ids);
    else reference([...path, 'team'], 'team', assignee.team, teams.ids);
  };

  const channelNames = new Set<string>([...channels.ids, ...ChannelType.options]);
  const intentIds = intents.ids;

  const checkValues = (
    spec: OperatorSpec,
    path: readonly PathKey[],
    operators: readonly (keyof OperatorSpec)[],
    check: (value: string, valuePath: readonly PathKey[]) => void,
  ): void => {
    for (const operator of operators) {
      const value = spec[operator];
      if (typeof value === 'string') check(value, [...path, operator]);
      else if (Array.isArray(value)) {
        value.forEach((item, index) => {
          if (typeof item === 'string') check(item, [...path, operator, index]);
        });
      }
    }
  };

  const checkCondition = (condition: Condition, path: readonly PathKey[]): void => {
    for (const [key, value] of Object.entries(condition as Record<string, unknown>)) {
      const here = [...path, key];
      if ((key === 'all' || key === 'any') && Array.isArray(value)) {
        value.forEach((child: Condition, index) => checkCondition(child, [...here, index]));
      } else if (key === 'not' && isPlainObject(value)) {
        checkCondition(value as Condition, here);
      } else if (key === 'businessHours' && isPlainObject(value)) {
        for (const [which, schedule] of Object.entries(value)) {
          if (typeof schedule === 'string') reference([...here, which], 'schedule', schedule, schedules.ids);
        }
      } else if (isPlainObject(value)) {
        const spec = value as OperatorSpec;
        // Text comparisons ignore case (docs/configuration.md), so `Web-Chat` names the channel `web-chat`.
        if (key === 'channel') {
          checkValues(spec, here, VALUE_OPERATORS, (name, p) => {
            if (!channelNames.has(name.toLowerCase())) problem(p, `unknown channel "${name}"${didYouMean(name, channelNames)}`);
          });
        } else if (key === 'priority') {
          checkValues(spec, here, [...VALUE_OPERATORS, ...ORDER_OPERATORS], (name, p) => {
            if (!(Priority.options as readonly string[]).includes(name.toLowerCase())) {
              problem(p, `unknown priority "${name}": use ${Priority.options.join(', ')}${didYouMean(name, Priority.options)}`);
            }
          });
        } else if (key === 'trigger') {
          checkValues(spec, here, VALUE_OPERATORS, (name, p) => {
            if (!(Trigger.options as readonly string[]).includes(name.toLowerCase())) {
              problem(p, `unknown trigger "${name}"${didYouMean(name, Trigger.options)}`);
            }
          });
        } else if (key === 'intent') {
          // A warning only: intents may also come from a language model or the customer's own bot.
          checkValues(spec, here, VALUE_OPERATORS, (name, p) => {
            if (!intentIds.has(name)) warning(p, `intent "${name}" is not defined under assistant.intents${didYouMean(name, intentIds)}`);
          });
        }
      }
    }
  };

  // ── schedules ──────────────────────────────────────────────────────────────────────────────
  for (const { path, value } of schedules.checked) {
    for (const [days, intervals] of Object.entries(value.hours)) {
      intervals.forEach((interval, index) => {
        const [start, end] = interval.split('-');
        if (start === end) problem([...path, 'hours', days, index], `"${interval}" is empty: an interval must end after it starts (or run past midnight)`);
      });
    }
    value.holidays.forEach((date, index) => {
      if (!isCalendarDate(date)) problem([...path, 'holidays', index], `"${date}" is not a calendar date`);
    });
  }

  // ── users ──────────────────────────────────────────────────────────────────────────────────
  const emails = new Map<string, number>();
  for (const { path, index, value } of users.checked) {
    if (value.id === CONTACT_OWNER) problem([...path, 'id'], `"${CONTACT_OWNER}" is reserved: rules use it for the contact's account owner`);
    const email = value.email.toLowerCase();
    const first = emails.get(email);
    if (first === undefined) emails.set(email, index);
    else problem([...path, 'email'], `duplicate email "${value.email}" (also users[${first}])`);
    if (value.schedule !== undefined) reference([...path, 'schedule'], 'schedule', value.schedule, schedules.ids);
  }

  // ── teams ──────────────────────────────────────────────────────────────────────────────────
  for (const { path, value } of teams.checked) {
    value.members.forEach((member, index) => reference([...path, 'members', index], 'user', member, users.ids));
    value.leads.forEach((lead, index) => reference([...path, 'leads', index], 'user', lead, users.ids));
    if (value.members.length === 0) warning([...path, 'members'], `team "${value.id}" has no members: nothing routed to it can be assigned`);
  }

  // ── queues ─────────────────────────────────────────────────────────────────────────────────
  const overflowTo = new Map<string, string>();
  const queueIndex = new Map<string, number>();
  for (const { path, index, value } of queues.checked) {
    if (!queueIndex.has(value.id)) queueIndex.set(value.id, index);
    if (value.team !== undefined) reference([...path, 'team'], 'team', value.team, teams.ids);
    if (value.schedule !== undefined) reference([...path, 'schedule'], 'schedule', value.schedule, schedules.ids);
    if (value.overflow) {
      const target = value.overflow.to;
      if (target === value.id) problem([...path, 'overflow', 'to'], 'a queue cannot overflow to itself');
      else if (!queues.ids.has(target)) reference([...path, 'overflow', 'to'], 'queue', target, queues.ids);
      else overflowTo.set(value.id, target);
    }
    const outOfHours = value.outOfHours;
    if (outOfHours) {
      const here = [...path, 'outOfHours'];
      if (value.schedule === undefined) {
        warning(here, `queue "${value.id}" has no schedule, so it is never out of hours`);
      }
      if (outOfHours.action === 'route') {
        if (outOfHours.to === undefined) problem([...here, 'to'], 'required when action is route');
      } else {
        if (outOfHours.to !== undefined) warning([...here, 'to'], 'ignored: action is queue_and_inform (use action: route)');
        if (outOfHours.when !== undefined) warning([...here, 'when'], 'ignored: action is queue_and_inform (use action: route)');
      }
      if (outOfHours.to !== undefined) {
        checkDestination(outOfHours.to, [...here, 'to'], false);
        if ('queue' in outOfHours.to && outOfHours.to.queue === value.id) {
          problem([...here, 'to', 'queue'], 'out of hours cannot route to the same queue');
        }
      }
      if (outOfHours.when !== undefined) checkCondition(outOfHours.when, [...here, 'when']);
    }
    if (value.requiredSkills.length > 0) {
      const team = teams.valid.find((t) => t.value.id === value.team)?.value;
      const pool = users.valid.filter((u) => team === undefined || team.members.includes(u.value.id));
      const skilled = pool.some((u) => value.requiredSkills.every((skill) => u.value.skills.includes(skill)));
      if (!skilled && (team !== undefined || value.team === undefined)) {
        warning(
          [...path, 'requiredSkills'],
          `no ${team ? `member of team "${team.id}"` : 'user'} has ${value.requiredSkills.join(' + ')}: nobody can be assigned from this queue`,
        );
      }
    }
  }
  const reportedCycles = new Set<string>();
  for (const start of overflowTo.keys()) {
    const trail: string[] = [];
    let current: string | undefined = start;
    while (current !== undefined && !trail.includes(current)) {
      trail.push(current);
      current = overflowTo.get(current);
    }
    if (current === undefined) continue;
    const cycle = trail.slice(trail.indexOf(current));
    const key = [...cycle].sort().join(' ');
    if (reportedCycles.has(key)) continue;
    reportedCycles.add(key);
    // Report at the first queue of the cycle in document order, then follow the arrows from there.
    const first = cycle.reduce((a, b) => ((queueIndex.get(a) ?? 0) <= (queueIndex.get(b) ?? 0) ? a : b));
    const from = cycle.indexOf(first);
    const ordered = [...cycle.slice(from), ...cycle.slice(0, from), first];
    problem(['queues', queueIndex.get(first) ?? 0, 'overflow', 'to'], `overflow cycle: ${ordered.join(' → ')}`);
  }

  // ── channels ───────────────────────────────────────────────────────────────────────────────
  const channelByAddress = new Map<string, string>();
  for (const { path, value } of channels.checked) {
    checkDestination(value.defaultRoute, [...path, 'defaultRoute'], false);
    if (value.type === 'email') {
      // Inbound mail finds its channel by address and replies are sent from it.
      const address = value.address?.trim().toLowerCase();
      if (address === undefined || address === '') {
        problem([...path, 'address'], 'required for an email channel: the address customers write to and replies come from');
      } else if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address)) {
        problem([...path, 'address'], `"${value.address}" is not an email address`);
      } else {
        const first = channelByAddress.get(address);
        if (first !== undefined) problem([...path, 'address'], `duplicate address "${value.address}" (also channel ${first})`);
        else channelByAddress.set(address, value.id);
      }
    } else if (value.address !== undefined) {
      warning([...path, 'address'], `ignored: only email channels have an address (this one is ${value.type})`);
    }
    if (value.assistant === 'webhook' && value.botUrl === undefined) {
      problem([...path, 'botUrl'], 'required when assistant is webhook: the URL your bot receives messages at');
    }
    if (value.assistant !== 'webhook' && value.botUrl !== undefined) {
      warning([...path, 'botUrl'], `ignored: assistant is ${value.assistant} (use assistant: webhook)`);
    }
    if (value.assistant === 'llm' && assistant !== undefined && assistant.llm === undefined) {
      problem([...path, 'assistant'], 'llm needs assistant.llm (baseUrl, model) to be configured');
    }
    if (value.assistant === 'webhook' && value.botSecret === undefined) {
      warning([...path, 'botSecret'], 'the bot cannot verify that messages come from Baton: set a whsec_ secret (Standard Webhooks)');
    }
    if (value.assistant !== 'webhook' && value.botSecret !== undefined) {
      warning([...path, 'botSecret'], `ignored: assistant is ${value.assistant} (use assistant: webhook)`);
    }
  }
  const llmTimeout = assistant?.llm?.timeout;
  if (llmTimeout !== undefined && parseDurationSeconds(llmTimeout) * 1000 > MAX_LLM_TIMEOUT_MS) {
    // The outbox lease (delivery/outbox-worker.ts) is 30 s: a call running longer could be claimed
    // again by another worker and answered twice.
    problem(['assistant', 'llm', 'timeout'], `at most ${MAX_LLM_TIMEOUT_MS / 1000}s (a model call must finish within the outbox lease of 30s)`);
  }

  // ── handoff ────────────────────────────────────────────────────────────────────────────────
  const configured = {
    in_app: true,
    email: Boolean(notifications?.email?.smtpUrl),
    slack: Boolean(notifications?.slack?.webhookUrl || notifications?.slack?.botToken),
    webhook: (notifications?.webhooks.length ?? 0) > 0,
  };
  const where = { in_app: '', email: 'notifications.email.smtpUrl', slack: 'notifications.slack', webhook: 'notifications.webhooks' };
  const checkAction = (action: RuleAction, path: readonly PathKey[], isRule: boolean): void => {
    checkDestination(action.destination, [...path, 'destination'], isRule);
    if (action.assignment === 'unassign_to_queue' && 'user' in action.destination) {
      problem([...path, 'assignment'], 'unassign_to_queue needs a queue or team destination, not a user');
    }
    action.tasks.forEach((task, index) => checkAssignee(task.assignee, [...path, 'tasks', index, 'assignee']));
    action.notify.forEach((channel, index) => {
      if (!configured[channel] && notifications !== undefined) {
        warning([...path, 'notify', index], `${channel} is not configured (${where[channel]}), so this notification will not be sent`);
      }
    });
  };

  const lastEnabled = rules.valid.filter((r) => r.value.enabled).at(-1)?.index;
  for (const { path, index, value } of rules.checked) {
    if (value.id === FALLBACK_RULE_ID) problem([...path, 'id'], `"${FALLBACK_RULE_ID}" is reserved for handoff.fallback`);
    if (value.if !== undefined) checkCondition(value.if, [...path, 'if']);
    checkAction(value.then, [...path, 'then'], true);
    if (value.enabled && value.when === undefined && value.if === undefined && lastEnabled !== undefined && index < lastEnabled) {
      warning(path, `rule "${value.id}" matches every handoff, so the rules after it never run`);
    }
  }
  if (fallback !== undefined) checkAction(fallback, ['handoff', 'fallback'], false);

  // ── notifications ──────────────────────────────────────────────────────────────────────────
  section(['notifications', 'webhooks'], WebhookTarget, 'webhook');
  if (notifications !== undefined) {
    const slackUrl = notifications.slack?.webhookUrl;
    if (slackUrl && !isUrl(slackUrl, ['http:', 'https:'])) problem(['notifications', 'slack', 'webhookUrl'], 'must be an http or https URL');
    const smtpUrl = notifications.email?.smtpUrl;
    if (smtpUrl && !isUrl(smtpUrl, ['smtp:', 'smtps:'])) problem(['notifications', 'email', 'smtpUrl'], 'must be an smtp:// or smtps:// URL');
    notifications.webhooks.forEach((hook, index) => {
      if (!isUrl(hook.url, ['http:', 'https:'])) problem(['notifications', 'webhooks', index, 'url'], 'must be an http or https URL');
    });
  }

  // In an item checked without its invalid parts, whatever is said at (or around) a part left out
  // follows from leaving it out, and its warnings wait until it is valid: the schema problem is
  // the one to fix.
  const within = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
  const leftOut = (p: ConfigProblem): boolean =>
    !asWritten.has(p) && salvaged.some(({ item, dropped }) => within(p.path, item) && dropped.some((d) => within(p.path, d) || within(d, p.path)));
  const inSalvaged = (p: ConfigProblem): boolean => salvaged.some(({ item }) => within(p.path, item));
  return { problems: problems.filter((p) => !leftOut(p)), warnings: warnings.filter((w) => !inSalvaged(w)) };
}

/** Most rounds of leaving parts out before an item counts as beyond checking. */
const SALVAGE_ROUNDS = 8;

/**
 * An item that fails its schema, checked without the parts that fail: each failing key (the
 * deepest mapping key present on the issue's path, so a bad list goes whole) is left out and the
 * item parsed again; a part left out that was required fails at its parent, which goes next.
 * Undefined when nothing but the whole item would do (its id or another required part fails).
 */
function salvage<T>(schema: z.ZodType<T>, item: unknown): { value: T; dropped: PathKey[][] } | undefined {
  if (!isPlainObject(item)) return undefined;
  const current: Record<string, unknown> = structuredClone(item);
  const dropped: PathKey[][] = [];
  for (let round = 0; round < SALVAGE_ROUNDS; round++) {
    const parsed = schema.safeParse(current);
    if (parsed.success) return { value: parsed.data, dropped };
    for (const issue of parsed.error.issues) {
      const base = issue.path.filter((key): key is PathKey => typeof key !== 'symbol');
      const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...base, key]) : [base];
      for (const path of paths) {
        // A part already left out that turns out to be required shows as its parent's key here.
        const part = deepestKey(current, path);
        if (part.length === 0) return undefined;
        remove(current, part);
        dropped.push(part);
      }
    }
  }
  return undefined;
}

/** The longest start of `path` that ends in a key present in a mapping of `root`. */
function deepestKey(root: unknown, path: readonly PathKey[]): PathKey[] {
  let best: PathKey[] = [];
  let current = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as PathKey;
    if (typeof key === 'string' && isPlainObject(current) && Object.hasOwn(current, key)) best = path.slice(0, i + 1);
    if (typeof key === 'number' ? !Array.isArray(current) : !isPlainObject(current)) break;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return best;
}

function remove(root: unknown, path: readonly PathKey[]): void {
  const holder = at(root, path.slice(0, -1));
  const last = path.at(-1);
  if (typeof last === 'string' && isPlainObject(holder)) delete holder[last];
}

function at(document: unknown, path: readonly PathKey[]): unknown {
  let current = document;
  for (const key of path) {
    if (typeof key === 'number' ? !Array.isArray(current) : !isPlainObject(current)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function isUrl(text: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(text).protocol);
  } catch {
    return false;
  }
}
