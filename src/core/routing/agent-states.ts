/**
 * Live agent states as the router reads them: a `Map` by user id, as every reader expects, that
 * also keeps each agent's status and open load in arrays laid out in the workspace's user order.
 * Eligibility walks every candidate of a place per decision (bench/routing.ts, p99 ≤ 50 µs); with
 * these arrays it reads each candidate by position (`roster.slots`) instead of a `Map.get` on
 * every id followed by two pointer hops (state, then its load object), which was a large share
 * of eligibility's time (bench/results/routing-profile.md).
 *
 * The arrays are kept in step by `set`, `delete` and `clear`, so a caller that adjusts one
 * agent (decide-and-record-handoff's over-capacity retry, the simulator's overrides) reads the same through
 * both views. An id the workspace does not know is only in the map, and is read from it.
 */
import type { Availability, ChannelType } from '../../contract/common.js';
import type { AgentState, WorkspaceModel } from '../model.js';
import { workspaceIndex } from '../workspace.js';

/** `load[channelType]`, read by name: a keyed read with a variable key is several times slower. */
export function loadFor(load: AgentState['load'], channelType: ChannelType): number | undefined {
  switch (channelType) {
    case 'chat':
      return load.chat;
    case 'email':
      return load.email;
    case 'in_app':
      return load.in_app;
    case 'api':
      return load.api;
    default:
      return load[channelType];
  }
}

/** A status as a byte: no state (reads as offline), the three statuses, or any other text. */
export const STATUS_CODE = { none: 0, available: 1, away: 2, offline: 3, other: 4 } as const;

export function statusCode(status: Availability | undefined): number {
  switch (status) {
    case undefined:
      return STATUS_CODE.none;
    case 'available':
      return STATUS_CODE.available;
    case 'away':
      return STATUS_CODE.away;
    case 'offline':
      return STATUS_CODE.offline;
    default:
      // A status this build does not know (a newer peer's row): read as its text.
      return STATUS_CODE.other;
  }
}

export class AgentStates extends Map<string, AgentState> {
  readonly workspace: WorkspaceModel;
  private readonly slotOf: ReadonlyMap<string, number>;
  /** Status per workspace user slot; undefined: no state for that user. */
  private readonly statusBySlot: (Availability | undefined)[];
  /** The same as a code per slot (`STATUS_CODE`): a byte each, read without a string compare. */
  private readonly statusCodeBySlot: Uint8Array;
  /** `state.lastAssignedAt ?? -Infinity` per slot (-Infinity without a state): pick's tie-breaker. */
  private readonly lastAssignedBySlot: Float64Array;
  /** `loadFor(state.load, type) ?? 0` per slot (0 without a state), built per type on first read. */
  private readonly loadsByType = new Map<ChannelType, Float64Array>();

  /** `entries` as for `new Map(entries)`: another map of states, or [userId, state] pairs. */
  constructor(workspace: WorkspaceModel, entries: Iterable<readonly [string, AgentState]> = []) {
    // No iterable to `super`: Map's constructor would call `set` before the fields exist.
    super();
    this.workspace = workspace;
    this.slotOf = workspaceIndex(workspace).userSlots;
    this.statusBySlot = new Array<Availability | undefined>(this.slotOf.size).fill(undefined);
    this.statusCodeBySlot = new Uint8Array(this.slotOf.size).fill(STATUS_CODE.none);
    this.lastAssignedBySlot = new Float64Array(this.slotOf.size).fill(-Infinity);
    for (const [userId, state] of entries) this.set(userId, state);
  }

  override set(userId: string, state: AgentState): this {
    super.set(userId, state);
    const slot = this.slotOf.get(userId);
    if (slot !== undefined) {
      this.statusBySlot[slot] = state.status;
      this.statusCodeBySlot[slot] = statusCode(state.status);
      this.lastAssignedBySlot[slot] = state.lastAssignedAt ?? -Infinity;
      for (const [type, loads] of this.loadsByType) loads[slot] = loadFor(state.load, type) ?? 0;
    }
    return this;
  }

  override delete(userId: string): boolean {
    const slot = this.slotOf.get(userId);
    if (slot !== undefined) {
      this.statusBySlot[slot] = undefined;
      this.statusCodeBySlot[slot] = STATUS_CODE.none;
      this.lastAssignedBySlot[slot] = -Infinity;
      for (const loads of this.loadsByType.values()) loads[slot] = 0;
    }
    return super.delete(userId);
  }

  override clear(): void {
    this.statusBySlot.fill(undefined);
    this.statusCodeBySlot.fill(STATUS_CODE.none);
    this.lastAssignedBySlot.fill(-Infinity);
    for (const loads of this.loadsByType.values()) loads.fill(0);
    super.clear();
  }

  /** Status by workspace user slot (`workspaceIndex(workspace).userSlots`). */
  get statuses(): readonly (Availability | undefined)[] {
    return this.statusBySlot;
  }

  /** Status by workspace user slot as a `STATUS_CODE`. */
  get statusCodes(): Uint8Array {
    return this.statusCodeBySlot;
  }

  /** When each slot's agent was last assigned (-Infinity: never, or no state). */
  get lastAssignedAts(): Float64Array {
    return this.lastAssignedBySlot;
  }

  /** Open load on `channelType` by workspace user slot; 0 for a user without a state. */
  loads(channelType: ChannelType): Float64Array {
    let loads = this.loadsByType.get(channelType);
    if (loads === undefined) {
      loads = new Float64Array(this.slotOf.size);
      for (const [userId, slot] of this.slotOf) {
        const state = super.get(userId);
        if (state !== undefined) loads[slot] = loadFor(state.load, channelType) ?? 0;
      }
      this.loadsByType.set(channelType, loads);
    }
    return loads;
  }
}
