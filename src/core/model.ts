/**
 * The values the pure core decides on. Built from the workspace document (`buildWorkspace`)
 * and from live state the store loads (agents' status and load, queue statistics).
 * Instants are epoch milliseconds; nothing here reads the clock.
 */
import type {
  Availability,
  ChannelType,
  ConversationStatus,
  Priority,
  Role,
  Strategy,
  Trigger,
} from '../contract/common.js';
import type { Scalar } from '../contract/conditions.js';
import type {
  AssistantKind,
  Capacity,
  Destination,
  OutOfHours,
  WorkspaceConfig,
} from '../contract/config.js';

export type Instant = number;

/** Minutes since local midnight: [start, end), end may be 1440; overnight intervals are split at compile time. */
export interface DayInterval {
  readonly start: number;
  readonly end: number;
}

export interface Schedule {
  readonly id: string;
  readonly timezone: string;
  /** Index 1 = Monday … 7 = Sunday (Luxon weekday numbers); index 0 unused. */
  readonly week: readonly (readonly DayInterval[])[];
  /** `YYYY-MM-DD` dates (in the schedule's zone) on which the schedule is closed all day. */
  readonly holidays: ReadonlySet<string>;
}

export interface UserModel {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  readonly skills: ReadonlySet<string>;
  readonly capacity: Capacity;
  readonly scheduleId: string | null;
  readonly teams: readonly string[];
}

export interface TeamModel {
  readonly id: string;
  readonly name: string;
  readonly members: readonly string[];
  readonly leads: readonly string[];
  readonly strategy: Strategy;
  readonly sticky: boolean;
}

export interface QueueModel {
  readonly id: string;
  readonly name: string;
  readonly teamId: string | null;
  readonly strategy: Strategy;
  readonly requiredSkills: readonly string[];
  readonly scheduleId: string | null;
  readonly firstResponseSeconds: number | null;
  readonly slaBusinessHours: boolean;
  /** SLA re-routes in a row before Baton only alerts (`sla.maxBreaches`). */
  readonly slaMaxBreaches: number;
  readonly overflowAfterSeconds: number | null;
  readonly overflowTo: string | null;
  readonly outOfHours: OutOfHours | null;
  readonly sticky: boolean;
}

export interface ChannelModel {
  readonly id: string;
  readonly name: string;
  readonly type: ChannelType;
  readonly assistant: AssistantKind;
  readonly defaultRoute: Destination;
  /** `maxMessageLength`: the longest customer message taken on this channel (email: not applied). */
  readonly maxMessageLength: number;
}

export interface WorkspaceModel {
  readonly name: string;
  readonly timezone: string;
  readonly language: string;
  readonly schedules: ReadonlyMap<string, Schedule>;
  readonly users: ReadonlyMap<string, UserModel>;
  readonly teams: ReadonlyMap<string, TeamModel>;
  readonly queues: ReadonlyMap<string, QueueModel>;
  readonly channels: ReadonlyMap<string, ChannelModel>;
  readonly config: WorkspaceConfig;
}

/** Live state of one agent, loaded from the store (or overridden by a simulation). */
export interface AgentState {
  readonly userId: string;
  readonly status: Availability;
  /** Open conversations owned now, per channel type. */
  readonly load: Partial<Record<ChannelType, number>>;
  readonly lastAssignedAt: Instant | null;
}

export interface QueueStats {
  /** Conversations waiting in this queue (or on this team) right now, not counting the one deciding. */
  readonly waiting: number;
  /** Median seconds from handoff to first human reply over recent conversations; null when unknown. */
  readonly recentFirstResponseSeconds: number | null;
}

export interface ContactFacts {
  readonly id: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly language: string | null;
  readonly timezone: string | null;
  readonly ownerId: string | null;
  readonly properties: Readonly<Record<string, Scalar>>;
}

export interface ConversationFacts {
  readonly id: string;
  readonly channelId: string;
  readonly status: ConversationStatus;
  readonly ownerId: string | null;
  readonly teamId: string | null;
  readonly queueId: string | null;
  readonly priority: Priority;
  readonly tags: readonly string[];
  readonly properties: Readonly<Record<string, Scalar>>;
  /** Set on the contact, or detected from what the customer wrote. */
  readonly language: string | null;
  readonly intent: string | null;
  /** The contact's last human owner, for stickiness. */
  readonly previousOwnerId: string | null;
}

/** What a rule condition reads (docs/configuration.md, "Conditions"). */
export interface RuleFacts {
  readonly trigger: Trigger;
  readonly channel: { readonly id: string; readonly type: ChannelType };
  readonly contact: ContactFacts;
  readonly conversation: ConversationFacts;
  readonly language: string | null;
  readonly intent: string | null;
  readonly messageText: string;
  readonly now: Instant;
}
