import { createContext, useContext, useEffect, useRef } from 'react';

/**
 * The inbox's single-key shortcuts (`j`/`k`, `r`, `n`, `e`, `/`, `?`), shared by every part of
 * the app that offers one: a part registers its key while it is on screen (useShortcut) and the
 * one document listener (useShortcutListener) runs it — never while the person is typing.
 */

/** Keys typed into a field are text, not commands: input, textarea, select, contenteditable. */
export function isTypingTarget(event: Pick<KeyboardEvent, 'target'>): boolean {
  const target = event.target as (Partial<HTMLElement> & { tagName?: string }) | null;
  if (target === null || typeof target !== 'object') return false;
  const tag = (target.tagName ?? '').toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select') return true;
  return target.isContentEditable === true;
}

export interface Shortcut {
  /** `KeyboardEvent.key`: `j`, `?`, `/`. */
  readonly key: string;
  /** What it does, for the `?` list. */
  readonly description: string;
  readonly run: () => void;
}

/** The shortcuts on screen now; the latest registration of a key wins until it is removed. */
export class ShortcutRegistry {
  private readonly entries: { id: number; shortcut: Shortcut }[] = [];
  private nextId = 0;
  private readonly listeners = new Set<() => void>();

  register(shortcut: Shortcut): () => void {
    const id = this.nextId++;
    this.entries.push({ id, shortcut });
    this.changed();
    return () => {
      const at = this.entries.findIndex((entry) => entry.id === id);
      if (at >= 0) this.entries.splice(at, 1);
      this.changed();
    };
  }

  /** The shortcut a key runs now, if any. */
  find(key: string): Shortcut | undefined {
    for (let at = this.entries.length - 1; at >= 0; at -= 1) {
      const entry = this.entries[at]!;
      if (entry.shortcut.key === key) return entry.shortcut;
    }
    return undefined;
  }

  /** One per key (the one that runs), in registration order: what `?` shows. */
  list(): Shortcut[] {
    const keys = new Set<string>();
    const shown: Shortcut[] = [];
    for (const { shortcut } of this.entries) {
      if (keys.has(shortcut.key)) continue;
      keys.add(shortcut.key);
      shown.push(this.find(shortcut.key)!);
    }
    return shown;
  }

  /**
   * Run the key's shortcut for a keydown; true when one ran (the caller prevents the default).
   * Never with Ctrl, ⌘ or Alt (the browser's and the system's), never while typing in a field.
   */
  handle(
    event: Pick<KeyboardEvent, 'key' | 'target' | 'ctrlKey' | 'metaKey' | 'altKey' | 'defaultPrevented'>,
  ): boolean {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event))
      return false;
    const shortcut = this.find(event.key);
    if (shortcut === undefined) return false;
    shortcut.run();
    return true;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

export const ShortcutsContext = createContext<ShortcutRegistry | null>(null);

/**
 * Offer a shortcut while the calling component is on screen. `run` may change every render: the
 * latest one runs. Does nothing outside a ShortcutsContext (a screen without the inbox).
 */
export function useShortcut(key: string, description: string, run: () => void, enabled = true): void {
  const registry = useContext(ShortcutsContext);
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    if (registry === null || !enabled) return;
    return registry.register({ key, description, run: () => latest.current() });
  }, [registry, key, description, enabled]);
}

/** The one document listener of a registry (mounted by the screen that provides it). */
export function useShortcutListener(registry: ShortcutRegistry): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Behind a modal dialog (the `?` list, a confirmation) the inbox does not move.
      if (document.querySelector('dialog[open]') !== null) return;
      if (registry.handle(event)) event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [registry]);
}
