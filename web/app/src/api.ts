/**
 * The REST API as the app calls it: same-origin fetch with the session cookie, JSON in and out.
 * Shapes are the server's zod contract (src/contract), imported as types only, so the app and
 * the server cannot drift without typecheck noticing.
 */
import type { AssignInput, Conversation, ConversationList, Message, PatchConversationInput, Scenario, SimulationResult } from '../../../src/contract/api.js';
import type { Availability, ErrorBody, ErrorDetail, Priority } from '../../../src/contract/common.js';
import type { ChannelConfig, QueueConfig, TeamConfig } from '../../../src/contract/config.js';
import type { UserView } from '../../../src/contract/admin-api.js';
import type { MeWithStatus, UserStatus } from '../../../src/contract/people-api.js';
import type { z } from 'zod';
import type { HandoffTrace } from '../../../src/contract/trace.js';
import type { InboxNotification } from './state/inbox.js';

export type { Conversation, Message, MeWithStatus, Availability, Priority, HandoffTrace, UserView, TeamConfig, QueueConfig, ChannelConfig, Scenario, SimulationResult, ErrorDetail };
type ConversationPage = z.infer<typeof ConversationList>;

/** A refusal from the API, with the server's code and message (API.md error shape). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
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
    throw new ApiError(response.status, error?.code ?? 'internal', error?.message ?? `${method} ${path} failed (${response.status})`);
  }
  return data as T;
}

const enc = encodeURIComponent;

/** A refused simulation: a 422 says, per problem, where in the scenario and what is wrong. */
export class SimulationRefused extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly details: readonly ErrorDetail[],
  ) {
    super(status, code, message);
  }
}

/** POST /api/simulate (JSON): like `call`, but a refusal keeps the server's `details`. */
async function simulate(scenario: Scenario): Promise<SimulationResult> {
  const response = await fetch('/api/simulate', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(scenario),
  });
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const error = (data as Partial<ErrorBody> | undefined)?.error;
    throw new SimulationRefused(response.status, error?.code ?? 'internal', error?.message ?? `The simulation failed (${response.status})`, error?.details ?? []);
  }
  return data as SimulationResult;
}

export const api = {
  me: () => call<MeWithStatus>('GET', '/api/me'),
  login: (email: string, password: string) => call<MeWithStatus>('POST', '/api/auth/login', { email, password }),
  logout: () => call<undefined>('POST', '/api/auth/logout'),
  setStatus: (userId: string, status: Availability) => call<z.infer<typeof UserStatus>>('PATCH', `/api/users/${enc(userId)}/status`, { status }),

  conversations: (cursor: string | null) =>
    call<ConversationPage>('GET', `/api/conversations?limit=200${cursor === null ? '' : `&cursor=${enc(cursor)}`}`),
  conversation: (id: string) => call<Conversation>('GET', `/api/conversations/${enc(id)}`),
  messages: (id: string, after = 0) => call<Message[]>('GET', `/api/conversations/${enc(id)}/messages?after=${after}`),
  post: (id: string, body: string, isPrivate: boolean) => call<Message>('POST', `/api/conversations/${enc(id)}/messages`, { body, private: isPrivate }),
  claim: (id: string) => call<Conversation>('POST', `/api/conversations/${enc(id)}/claim`),
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

  simulate,
};
