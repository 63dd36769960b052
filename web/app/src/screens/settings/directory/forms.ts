/**
 * Form values ↔ directory objects (docs/configuration.md, src/contract/config.ts). Forms hold text as typed;
 * the objects are what the API takes. Empty optional fields are left out, and a number that does
 * not parse is sent as typed, so the server's 422 names the field (one validator, the server's).
 */
import type { z } from 'zod';
import type { Availability, ChannelType, Role, Strategy } from '../../../../../../src/contract/common.js';
import type {
  AssistantKind,
  ChannelConfig,
  KnowledgeConfig,
  QueueConfig,
  TeamConfig,
  UserConfig,
} from '../../../../../../src/contract/config.js';

/** Objects as the document holds them: as written, defaults not applied. */
export type UserItem = z.input<typeof UserConfig> & {
  currentStatus?: Availability;
  statusChangedAt?: string | null;
};
export type TeamItem = z.input<typeof TeamConfig>;
export type QueueItem = z.input<typeof QueueConfig>;
export type ChannelItem = z.input<typeof ChannelConfig>;
export type KnowledgeItem = z.input<typeof KnowledgeConfig>;
type Destination = z.input<typeof ChannelConfig>['defaultRoute'];

export type ApiObject = Record<string, unknown>;

// Labels are Records over the contract's enums, so a new value fails typecheck until it has one.
export const CHANNEL_TYPE_LABELS: Readonly<Record<ChannelType, string>> = {
  chat: 'Chat',
  email: 'Email',
  in_app: 'In-app',
  api: 'API',
};
export const CHANNEL_TYPES = Object.keys(CHANNEL_TYPE_LABELS) as ChannelType[];
export const ROLE_LABELS: Readonly<Record<Role, string>> = { agent: 'Agent', admin: 'Admin' };
export const STATUS_LABELS: Readonly<Record<Availability, string>> = {
  available: 'Available',
  away: 'Away',
  offline: 'Offline',
};
export const STRATEGY_LABELS: Readonly<Record<Strategy, string>> = {
  round_robin: 'Round robin',
  least_busy: 'Least busy',
  manual: 'Manual (people claim)',
};
export const ASSISTANT_LABELS: Readonly<Record<AssistantKind, string>> = {
  builtin: 'Built-in AI agent',
  llm: 'LLM (OpenAI-compatible)',
  webhook: 'Your bot (webhook)',
  none: 'None: hand every conversation to people',
};
export type DestinationKind = 'queue' | 'team' | 'user';
export const DESTINATION_LABELS: Readonly<Record<DestinationKind, string>> = {
  queue: 'Queue',
  team: 'Team',
  user: 'User',
};

/** A whole number as typed: '' → absent; digits → the number; anything else as typed (the server names it). */
export function parseCount(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

const countText = (value: number | undefined): string => (value === undefined ? '' : String(value));

/** Sets `key` only when the value is present (not undefined, not ''). */
function put(target: ApiObject, key: string, value: unknown): void {
  if (value === undefined || value === '') return;
  target[key] = value;
}

/** Tags as typed: trimmed, without empties and repeats, in order. */
export function cleanTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))];
}

/**
 * The PATCH body turning `before` into `after` (docs/api.md: PATCH replaces the top-level fields given,
 * `null` removes an optional one): the changed fields, and null for the ones the form emptied.
 * `keep` names fields of the listing that are not in the document (a user's live status).
 */
export function patchOf(
  before: Readonly<ApiObject>,
  after: Readonly<ApiObject>,
  keep: readonly string[] = [],
): ApiObject {
  const patch: ApiObject = {};
  for (const key of Object.keys(before)) {
    if (key !== 'id' && !keep.includes(key) && !(key in after)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(after)) {
    if (key !== 'id' && JSON.stringify(value) !== JSON.stringify(before[key])) patch[key] = value;
  }
  return patch;
}

// ── destination ──────────────────────────────────────────────────────────────────────────────
export interface DestinationForm {
  kind: DestinationKind;
  id: string;
}
export function destinationToForm(d: Destination | undefined): DestinationForm {
  if (d === undefined) return { kind: 'queue', id: '' };
  if ('queue' in d) return { kind: 'queue', id: d.queue };
  if ('team' in d) return { kind: 'team', id: d.team };
  return { kind: 'user', id: d.user };
}
export function formToDestination(f: DestinationForm): ApiObject {
  return { [f.kind]: f.id };
}

// ── users ────────────────────────────────────────────────────────────────────────────────────
export interface UserForm {
  id: string;
  name: string;
  email: string;
  role: Role;
  skills: string[];
  capacity: Record<ChannelType, string>;
  schedule: string;
  status: Availability;
}

export const emptyUserForm = (): UserForm => ({
  id: '',
  name: '',
  email: '',
  role: 'agent',
  skills: [],
  capacity: { chat: '', email: '', in_app: '', api: '' },
  schedule: '',
  status: 'available',
});

export function userToForm(u: UserItem): UserForm {
  const capacity = u.capacity ?? {};
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role ?? 'agent',
    skills: [...(u.skills ?? [])],
    capacity: {
      chat: countText(capacity.chat),
      email: countText(capacity.email),
      in_app: countText(capacity.in_app),
      api: countText(capacity.api),
    },
    schedule: u.schedule ?? '',
    status: u.status ?? 'available',
  };
}

export function formToUser(f: UserForm): ApiObject {
  const capacity: ApiObject = {};
  for (const type of CHANNEL_TYPES) put(capacity, type, parseCount(f.capacity[type]));
  const user: ApiObject = {
    id: f.id.trim(),
    name: f.name.trim(),
    email: f.email.trim(),
    role: f.role,
    skills: cleanTags(f.skills),
    capacity,
  };
  put(user, 'schedule', f.schedule);
  user.status = f.status;
  return user;
}

/** `chat 3 · email 10`, or '' when no cap is set. */
export function describeCapacity(capacity: UserItem['capacity']): string {
  return CHANNEL_TYPES.filter((t) => capacity?.[t] !== undefined)
    .map((t) => `${CHANNEL_TYPE_LABELS[t].toLowerCase()} ${String(capacity?.[t])}`)
    .join(' · ');
}

/** The teams a user is in (member or lead), by name. */
export function teamsOf(userId: string, teams: readonly TeamItem[]): string[] {
  return teams
    .filter((t) => (t.members ?? []).includes(userId) || (t.leads ?? []).includes(userId))
    .map((t) => ((t.leads ?? []).includes(userId) ? `${t.name} (lead)` : t.name));
}

// ── teams ────────────────────────────────────────────────────────────────────────────────────
export interface TeamForm {
  id: string;
  name: string;
  members: string[];
  leads: string[];
  strategy: Strategy;
  sticky: boolean;
}
export const emptyTeamForm = (): TeamForm => ({
  id: '',
  name: '',
  members: [],
  leads: [],
  strategy: 'round_robin',
  sticky: false,
});
export const teamToForm = (t: TeamItem): TeamForm => ({
  id: t.id,
  name: t.name,
  members: [...(t.members ?? [])],
  leads: [...(t.leads ?? [])],
  strategy: t.strategy ?? 'round_robin',
  sticky: t.sticky ?? false,
});
export const formToTeam = (f: TeamForm): ApiObject => ({
  id: f.id.trim(),
  name: f.name.trim(),
  members: f.members,
  leads: f.leads,
  strategy: f.strategy,
  sticky: f.sticky,
});

// ── queues ───────────────────────────────────────────────────────────────────────────────────
export interface QueueForm {
  id: string;
  name: string;
  team: string;
  /** '' = the team's strategy. */
  strategy: Strategy | '';
  requiredSkills: string[];
  schedule: string;
  slaFirstResponse: string;
  slaBusinessHours: boolean;
  slaMaxBreaches: string;
  overflowAfter: string;
  overflowTo: string;
  /** '' = no out-of-hours setting (customers are queued and told). */
  outOfHoursAction: 'queue_and_inform' | 'route' | '';
  outOfHoursTo: DestinationForm;
  /** The condition as written: the form does not edit it, it keeps it. */
  outOfHoursWhen: unknown;
  /** '' = as the team. */
  sticky: 'yes' | 'no' | '';
}
export const emptyQueueForm = (): QueueForm => ({
  id: '',
  name: '',
  team: '',
  strategy: '',
  requiredSkills: [],
  schedule: '',
  slaFirstResponse: '',
  slaBusinessHours: false,
  slaMaxBreaches: '',
  overflowAfter: '',
  overflowTo: '',
  outOfHoursAction: '',
  outOfHoursTo: { kind: 'team', id: '' },
  outOfHoursWhen: undefined,
  sticky: '',
});

export function queueToForm(q: QueueItem): QueueForm {
  return {
    id: q.id,
    name: q.name,
    team: q.team ?? '',
    strategy: q.strategy ?? '',
    requiredSkills: [...(q.requiredSkills ?? [])],
    schedule: q.schedule ?? '',
    slaFirstResponse: q.sla?.firstResponse ?? '',
    slaBusinessHours: q.sla?.businessHours ?? false,
    slaMaxBreaches: countText(q.sla?.maxBreaches),
    overflowAfter: q.overflow?.after ?? '',
    overflowTo: q.overflow?.to ?? '',
    outOfHoursAction: q.outOfHours === undefined ? '' : (q.outOfHours.action ?? 'queue_and_inform'),
    outOfHoursTo:
      q.outOfHours?.to === undefined ? { kind: 'team', id: '' } : destinationToForm(q.outOfHours.to),
    outOfHoursWhen: q.outOfHours?.when,
    sticky: q.sticky === undefined ? '' : q.sticky ? 'yes' : 'no',
  };
}

export function formToQueue(f: QueueForm): ApiObject {
  const queue: ApiObject = { id: f.id.trim(), name: f.name.trim() };
  put(queue, 'team', f.team);
  put(queue, 'strategy', f.strategy);
  queue.requiredSkills = cleanTags(f.requiredSkills);
  put(queue, 'schedule', f.schedule);
  const maxBreaches = parseCount(f.slaMaxBreaches);
  if (f.slaFirstResponse.trim() !== '' || maxBreaches !== undefined || f.slaBusinessHours) {
    const sla: ApiObject = { firstResponse: f.slaFirstResponse.trim(), businessHours: f.slaBusinessHours };
    put(sla, 'maxBreaches', maxBreaches);
    queue.sla = sla;
  }
  // Both halves or neither: one alone is sent so that the server names the missing half.
  if (f.overflowAfter.trim() !== '' || f.overflowTo !== '') {
    const overflow: ApiObject = {};
    put(overflow, 'after', f.overflowAfter.trim());
    put(overflow, 'to', f.overflowTo);
    queue.overflow = overflow;
  }
  if (f.outOfHoursAction !== '') {
    const outOfHours: ApiObject = { action: f.outOfHoursAction };
    if (f.outOfHoursAction === 'route') outOfHours.to = formToDestination(f.outOfHoursTo);
    if (f.outOfHoursWhen !== undefined) outOfHours.when = f.outOfHoursWhen;
    queue.outOfHours = outOfHours;
  }
  if (f.sticky !== '') queue.sticky = f.sticky === 'yes';
  return queue;
}

// ── channels ─────────────────────────────────────────────────────────────────────────────────
export interface ChannelForm {
  id: string;
  name: string;
  type: ChannelType;
  assistant: AssistantKind;
  defaultRoute: DestinationForm;
  /** `type: email`: the address customers write to. */
  address: string;
  /** `assistant: webhook`: where customer messages are posted, and the signing secret. */
  botUrl: string;
  botSecret: string;
}
export const emptyChannelForm = (): ChannelForm => ({
  id: '',
  name: '',
  type: 'chat',
  assistant: 'builtin',
  defaultRoute: { kind: 'queue', id: '' },
  address: '',
  botUrl: '',
  botSecret: '',
});
export const channelToForm = (c: ChannelItem): ChannelForm => ({
  id: c.id,
  name: c.name ?? '',
  type: c.type,
  assistant: c.assistant ?? 'builtin',
  defaultRoute: destinationToForm(c.defaultRoute),
  address: c.address ?? '',
  botUrl: c.botUrl ?? '',
  botSecret: c.botSecret ?? '',
});
export function formToChannel(f: ChannelForm): ApiObject {
  const channel: ApiObject = { id: f.id.trim() };
  put(channel, 'name', f.name.trim());
  channel.type = f.type;
  channel.assistant = f.assistant;
  channel.defaultRoute = formToDestination(f.defaultRoute);
  // Fields that belong to another type or assistant are dropped, not kept invisibly.
  if (f.type === 'email') put(channel, 'address', f.address.trim());
  if (f.assistant === 'webhook') {
    put(channel, 'botUrl', f.botUrl.trim());
    put(channel, 'botSecret', f.botSecret.trim());
  }
  return channel;
}

// ── knowledge ────────────────────────────────────────────────────────────────────────────────
export interface KnowledgeForm {
  id: string;
  title: string;
  body: string;
  language: string;
  tags: string[];
}
export const emptyKnowledgeForm = (): KnowledgeForm => ({
  id: '',
  title: '',
  body: '',
  language: 'en',
  tags: [],
});
export const knowledgeToForm = (k: KnowledgeItem): KnowledgeForm => ({
  id: k.id,
  title: k.title,
  body: k.body,
  language: k.language ?? 'en',
  tags: [...(k.tags ?? [])],
});
export const formToKnowledge = (f: KnowledgeForm): ApiObject => ({
  id: f.id.trim(),
  title: f.title.trim(),
  body: f.body,
  language: f.language.trim() === '' ? 'en' : f.language.trim(),
  tags: cleanTags(f.tags),
});

/** Select options from a label Record (its keys are the values). */
export function labelledOptions<K extends string>(
  labels: Readonly<Record<K, string>>,
): { value: K; label: string }[] {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}

/** `queue general`, `team oncall`, `user ana`. */
export function describeDestination(d: Destination): string {
  const f = destinationToForm(d);
  return `${DESTINATION_LABELS[f.kind].toLowerCase()} ${f.id}`;
}
