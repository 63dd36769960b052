import { randomUUID } from 'node:crypto';

/** Time and ids are handed to every layer, never read from globals inside the core (STYLE.md). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can move. */
export function manualClock(start: number): Clock & { set(at: number): void; advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    set: (at) => {
      current = at;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export type CreateId = () => string;
export const createId: CreateId = () => randomUUID();
