/**
 * The in-process realtime hub (the embedded default, one Baton process): listeners indexed by
 * audience. The interface and what it carries are services/realtime/hub.ts.
 */
import type { HubListener, RealtimeHub } from '../../services/realtime/hub.js';

export interface LocalHub extends RealtimeHub {
  /**
   * Wake every listener of this process, whatever its audiences: each reads the stream after its
   * own last seq (finding nothing costs one read). For the Redis hub when it cannot tell which
   * audiences moved (an outage began; more audiences moved than it lists).
   */
  wakeAll(): void;
}

/** The in-process hub: listeners indexed by audience. */
export function createLocalHub(): LocalHub {
  const byAudience = new Map<string, Set<HubListener>>();
  let count = 0;

  function listenersOf(audiences: readonly string[]): Set<HubListener> {
    const out = new Set<HubListener>();
    for (const audience of audiences) for (const listener of byAudience.get(audience) ?? []) out.add(listener);
    return out;
  }

  function safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // A listener's failure is its own connection's business (it closes itself); others go on.
    }
  }

  return {
    notify(notice) {
      for (const listener of listenersOf(notice.audiences)) safely(() => listener.onNotice(notice));
    },
    wakeAll() {
      const all = new Set<HubListener>();
      for (const set of byAudience.values()) for (const listener of set) all.add(listener);
      const notice = { audiences: [], seq: Number.MAX_SAFE_INTEGER };
      for (const listener of all) safely(() => listener.onNotice(notice));
    },
    broadcast(frame) {
      for (const listener of listenersOf(frame.audiences)) safely(() => listener.onEphemeral(frame));
    },
    subscribe(listener) {
      for (const audience of listener.audiences) {
        let set = byAudience.get(audience);
        if (set === undefined) byAudience.set(audience, (set = new Set()));
        set.add(listener);
      }
      count += 1;
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        count -= 1;
        for (const audience of listener.audiences) {
          const set = byAudience.get(audience);
          set?.delete(listener);
          if (set?.size === 0) byAudience.delete(audience);
        }
      };
    },
    size: () => count,
    async close() {
      byAudience.clear();
      count = 0;
    },
  };
}
