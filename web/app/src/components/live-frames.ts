/**
 * The realtime frames as the stream delivers them, for the parts of the app that react to them
 * beside the inbox reducer (desktop alerts, "is typing…"). The reducer drops ephemeral frames
 * (`typing`), so they are handed out here, batch by batch, to whoever subscribed.
 */
import type { Frame } from '../state/inbox.js';

type Listener = (frames: readonly Frame[]) => void;

const listeners = new Set<Listener>();

/** Called by the workspace for every batch the socket delivers. */
export function publishFrames(frames: readonly Frame[]): void {
  for (const listener of listeners) listener(frames);
}

/** Returns the unsubscribe function (an effect's cleanup). */
export function subscribeFrames(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
