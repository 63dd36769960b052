/**
 * The REST API as the app calls it: same-origin fetch with the session cookie, JSON in and out.
 * Shapes are the server's zod contract (src/contract), imported as types only, so the app and
 * the server cannot drift without typecheck noticing.
 */
import type {
  AssignInput,
  Conversation,
  ConversationCounts,
  ConversationEvent,
  ContactDetail,
  ConversationList,
  ConversationListItem,
  CreateTaskInput,
  Message,
  OwnershipAction,
  PatchConversationInput,
  SearchSnippet,
  PatchTaskInput,
  Scenario,
  SimulationResult,
  Task,
} from '../../../src/contract/api.js';
import type { Availability, ErrorBody, ErrorDetail, Priority } from '../../../src/contract/common.js';
import type { ChannelConfig, QueueConfig, TeamConfig } from '../../../src/contract/config.js';
import type {
  ConfigApplyOutcome,
  ConfigProblem,
  RulesetDraftView,
  RulesetVersionList,
  RulesetVersionDiff,
  RulesetVersionView,
  UserView,
} from '../../../src/contract/admin-api.js';
import type { MeWithStatus, UserStatus } from '../../../src/contract/people-api.js';
import type { Playbook } from '../../../src/contract/playbook-api.js';
import type { CreateSavedReplyInput, PatchSavedReplyInput, SavedReply, SavedReplyList } from '../../../src/contract/saved-replies-api.js';
import type { Deactivated, InvitationCreated, SetupInput, SetupState, UserAccess, UserAccessList } from '../../../src/contract/access-api.js';
import type { z } from 'zod';
import type { HandoffTrace } from '../../../src/contract/trace.js';
import type { ReplayHandoffRequest, ReplayHandoffResult, ReplayItem, ReplayRequest, ReplayResult } from '../../../src/contract/replay-api.js';
import type { Filters, InboxNotification, View } from './state/inbox.js';

export type { ConversationEvent, OwnershipAction, Task, ContactDetail, ConversationListItem, SearchSnippet, SavedReply, Playbook };
export type { Conversation, Message, MeWithStatus, Availability, Priority, HandoffTrace, UserView, TeamConfig, QueueConfig, ChannelConfig, Scenario, SimulationResult, ErrorDetail };
export type { ConfigApplyOutcome, ConfigProblem, RulesetDraftView, RulesetVersionView };
export type { InvitationCreated, UserAccess };
export type { ReplayItem, ReplayResult, ReplayHandoffResult };
export type RulesetVersionSummary = z.infer<typeof RulesetVersionList>['items'][number];
export type RulesetVersionDiffView = z.infer<typeof RulesetVersionDiff>;
type ConversationPage = z.infer<typeof ConversationList>;

/** The query string of the inbox filters (docs/api.md "Conversations": channel, queue, priority, tag). */
function filterQuery(filters: Filters): string {
  const params = new URLSearchParams();
  for (const key of ['channel', 'queue', 'priority', 'tag'] as const) {
    const value = filters[key];
    if (value !== undefined) params.set(key, value);
  }
  return params.toString();
}

/** A refusal from the API, with the server's code and message (docs/api.md error shape). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Per problem, where and what (a 422 names each invalid field). */
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const error = (data as Partial<ErrorBody> | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? `${method} ${path} failed (${response.status})`, error?.details ?? []);
  }
  return data as T;
}

/** A refused workspace document: the server's message and every problem (path, line, column). */
export class DocumentError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly problems: ConfigProblem[],
  ) {
    super(status, code, message);
  }
}

/** The workspace document as YAML text, both ways (docs/api.md "Workspace configuration"). */
async function callYaml<T>(method: 'GET' | 'PUT', path: string, body?: string): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: method === 'GET' ? { accept: 'application/yaml' } : { 'content-type': 'application/yaml', accept: 'application/json' },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  if (!response.ok) {
    let error: (Partial<ErrorBody['error']> & { details?: ConfigProblem[] }) | undefined;
    try {
      error = (JSON.parse(text) as { error?: typeof error } | undefined)?.error;
    } catch {
      error = undefined;
    }
    const message = error?.message ?? `${method} ${path} failed (${response.status})`;
    throw new DocumentError(response.status, error?.code ?? 'internal', message, error?.details ?? []);
  }
  return (method === 'GET' ? text : JSON.parse(text)) as T;
}

const enc = encodeURIComponent;

export const api = {
  me: () => call<MeWithStatus>('GET', '/api/me'),
  login: (email: string, password: string) => call<MeWithStatus>('POST', '/api/auth/login', { email, password }),
  logout: () => call<undefined>('POST', '/api/auth/logout'),
  /** People joining the desk (issue 16 §1). */
  acceptInvite: (token: string, password: string) => call<MeWithStatus>('POST', '/api/auth/accept-invite', { token, password }),
  setupState: () => call<SetupState>('GET', '/api/setup'),
  setup: (input: SetupInput) => call<MeWithStatus>('POST', '/api/setup', input),
  changePassword: (current: string, password: string) => call<undefined>('PUT', '/api/users/me/password', { current, password }),
  userAccess: () => call<UserAccessList>('GET', '/api/user-access'),
  invite: (userId: string) => call<InvitationCreated>('POST', `/api/users/${enc(userId)}/invite`),
  resetPassword: (userId: string) => call<InvitationCreated>('POST', `/api/users/${enc(userId)}/reset-password`),
  deactivate: (userId: string) => call<Deactivated>('POST', `/api/users/${enc(userId)}/deactivate`),
  reactivate: (userId: string) => call<UserAccess>('POST', `/api/users/${enc(userId)}/reactivate`),
  setStatus: (userId: string, status: Availability) => call<z.infer<typeof UserStatus>>('PATCH', `/api/users/${enc(userId)}/status`, { status }),

  /** One page of a view for the caller, newest activity first (the unassigned: as the assigner takes them). */
  conversations: (view: View, filters: Filters, cursor: string | null, limit = 50) => {
    const filter = filterQuery(filters);
    return call<ConversationPage>('GET', `/api/conversations?view=${view}&limit=${limit}${filter === '' ? '' : `&${filter}`}${cursor === null ? '' : `&cursor=${enc(cursor)}`}`);
  },
  /** How many conversations each view holds for the caller under the filters. */
  conversationCounts: (filters: Filters) => {
    const filter = filterQuery(filters);
    return call<ConversationCounts>('GET', `/api/conversations/counts${filter === '' ? '' : `?${filter}`}`);
  },
  /** Conversations matching `q`, best first, each with its snippet; in one view, or in all (`view` null). */
  search: (q: string, view: View | null, filters: Filters, cursor: string | null, limit = 50) => {
    const filter = filterQuery(filters);
    return call<ConversationPage>(
      'GET',
      `/api/conversations?q=${enc(q)}&limit=${limit}${view === null ? '' : `&view=${view}`}${filter === '' ? '' : `&${filter}`}${cursor === null ? '' : `&cursor=${enc(cursor)}`}`,
    );
  },
  contact: (id: string) => call<ContactDetail>('GET', `/api/contacts/${enc(id)}`),
  conversation: (id: string) => call<Conversation>('GET', `/api/conversations/${enc(id)}`),
  messages: (id: string, after = 0) => call<Message[]>('GET', `/api/conversations/${enc(id)}/messages?after=${after}`),
  post: (id: string, body: string, isPrivate: boolean) => call<Message>('POST', `/api/conversations/${enc(id)}/messages`, { body, private: isPrivate }),
  claim: (id: string) => call<Conversation>('POST', `/api/conversations/${enc(id)}/claim`),
  /** Take a conversation someone else holds (its team, its leads, admins); the holder is told. */
  takeOver: (id: string) => call<Conversation>('POST', `/api/conversations/${enc(id)}/claim`, { takeOver: true }),
  release: (id: string) => call<Conversation>('POST', `/api/conversations/${enc(id)}/release`),
  handback: (id: string) => call<Conversation>('POST', `/api/conversations/${enc(id)}/handback`),
  resolve: (id: string) => call<Conversation>('POST', `/api/conversations/${enc(id)}/resolve`),
  reopen: (id: string) => call<Conversation>('POST', `/api/conversations/${enc(id)}/reopen`),
  assign: (id: string, to: AssignInput) => call<{ conversation: Conversation; handoff: HandoffTrace | null }>('POST', `/api/conversations/${enc(id)}/assign`, to),
  patch: (id: string, patch: PatchConversationInput) =>
    call<{ conversation: Conversation; handoff: HandoffTrace | null }>('PATCH', `/api/conversations/${enc(id)}`, patch),

  users: () => call<{ items: UserView[] }>('GET', '/api/users'),
  teams: () => call<{ items: TeamConfig[] }>('GET', '/api/teams'),
  queues: () => call<{ items: QueueConfig[] }>('GET', '/api/queues'),
  channels: () => call<{ items: ChannelConfig[] }>('GET', '/api/channels'),

  notifications: () => call<{ items: InboxNotification[]; unread: number }>('GET', '/api/notifications?limit=50'),
  readNotifications: (ids: readonly string[] | 'all') =>
    call<{ marked: number; unread: number }>('POST', '/api/notifications/read', ids === 'all' ? { all: true } : { ids }),

  /** A refusal (422) keeps the server's `details`: per problem, where in the scenario and what is wrong. */
  simulate: (scenario: Scenario) => call<SimulationResult>('POST', '/api/simulate', scenario),
  // Settings (admins): the workspace as YAML, and ruleset versions.
  configYaml: () => callYaml<string>('GET', '/api/config'),
  putConfigYaml: (text: string, options: { dryRun: boolean; summary?: string }) => {
    const summary = options.summary === undefined || options.summary === '' ? '' : `&summary=${enc(options.summary)}`;
    return callYaml<ConfigApplyOutcome>('PUT', `/api/config?dryRun=${options.dryRun ? 'true' : 'false'}${summary}`, text);
  },
  rulesetVersions: () => call<z.infer<typeof RulesetVersionList>>('GET', '/api/ruleset/versions'),
  rulesetDiff: (version: number, against: number | null) =>
    call<RulesetVersionDiffView>('GET', `/api/ruleset/versions/${version}/diff${against === null ? '' : `?against=${against}`}`),
  /** The draft is reset to the restored rules unless `keepDraft`. */
  restoreRuleset: (version: number, summary?: string, keepDraft = false) =>
    call<RulesetVersionView>('POST', `/api/ruleset/versions/${version}/restore`, {
      ...(summary === undefined || summary === '' ? {} : { summary }),
      ...(keepDraft ? { keepDraft } : {}),
    }),
  rulesetDraft: () => call<RulesetDraftView>('GET', '/api/ruleset/draft'),
  publishRuleset: (summary: string) => call<RulesetVersionView>('POST', '/api/ruleset/publish', { summary }),
  // Settings → Handoff rules (the rules form editor): the active version, saving the draft, schedules.
  activeRuleset: () => call<RulesetVersionView>('GET', '/api/ruleset'),
  /** The active rules still fit: the review reminder counts from now. */
  reviewRuleset: () => call<RulesetVersionView>('POST', '/api/ruleset/review'),
  /** A refusal (422) keeps every problem with its path in the ruleset (`rules[2].then.destination.queue`). */
  saveRulesetDraft: (ruleset: RulesetVersionView['ruleset']) => call<RulesetDraftView>('PUT', '/api/ruleset/draft', ruleset),
  /** Past handoffs decided again with the draft (docs/api.md "Replay"); changes nothing. */
  replay: (request: z.input<typeof ReplayRequest>) => call<ReplayResult>('POST', '/api/replay', request),
  /** One handoff of a replay with its recorded and replayed traces. */
  replayHandoff: (request: ReplayHandoffRequest) => call<ReplayHandoffResult>('POST', '/api/replay/handoff', request),
  /** The workspace's time zone (replay's dates are days there). */
  workspaceTimezone: () => call<{ workspace?: { timezone?: string } }>('GET', '/api/config').then((c) => c.workspace?.timezone ?? 'UTC'),
  schedules: () => call<{ items: { id: string; name?: string | undefined }[] }>('GET', '/api/schedules'),
  // A conversation's follow-ups and timeline.
  events: (conversationId: string) => call<ConversationEvent[]>('GET', `/api/conversations/${enc(conversationId)}/events`),
  tasks: (conversationId: string) => call<{ items: Task[] }>('GET', `/api/tasks?conversation=${enc(conversationId)}`),
  addTask: (input: z.input<typeof CreateTaskInput>) => call<Task>('POST', '/api/tasks', input),
  patchTask: (id: string, patch: z.input<typeof PatchTaskInput>) => call<Task>('PATCH', `/api/tasks/${enc(id)}`, patch),
  /** The active handoff rules in plain language. */
  playbook: () => call<Playbook>('GET', '/api/playbook'),
  // Saved replies: with a conversation, each comes rendered in its language with the variables filled.
  savedReplies: (conversationId?: string) =>
    call<SavedReplyList>('GET', `/api/saved-replies${conversationId === undefined ? '' : `?conversation=${enc(conversationId)}`}`),
  createSavedReply: (input: z.input<typeof CreateSavedReplyInput>) => call<SavedReply>('POST', '/api/saved-replies', input),
  patchSavedReply: (id: string, patch: z.input<typeof PatchSavedReplyInput>) => call<SavedReply>('PATCH', `/api/saved-replies/${enc(id)}`, patch),
  deleteSavedReply: (id: string) => call<{ ok: true }>('DELETE', `/api/saved-replies/${enc(id)}`),
};
