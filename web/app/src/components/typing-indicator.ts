/**
 * "Lucía is typing…" in the open conversation, and when the composer tells others the agent is
 * typing. Pure (typing-indicator.test.ts); useTypingIndicator.ts and Composer.tsx hold the clock.
 *
 * Typing frames are ephemeral: the widget sends one at most every 2 s while the customer types
 * and the server relays at most one a second per sender, so a typist shows for SHOW_MS after
 * their last frame, and goes the moment their message arrives.
 */
import type { Frame } from '../state/inbox.js';

/** How long a typist shows after their last typing frame (ms): above the widget's 2 s cadence. */
export const TYPING_SHOW_MS = 6_000;
/** The composer tells others at most once every this many ms while the agent types. */
export const TYPING_SEND_INTERVAL_MS = 3_000;

export interface Typist {
  /** `contact`, or `user:<id>` for another agent. */
  readonly key: string;
  readonly name: string;
  /** Until when (epoch ms) they show without another frame. */
  readonly until: number;
}

export interface TypingContext {
  readonly conversationId: string;
  /** The signed-in agent: their own typing is never shown back to them. */
  readonly me: string;
  /** The customer as the thread names them. */
  readonly customerName: string;
  readonly now: number;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function upsert(typists: readonly Typist[], typist: Typist): Typist[] {
  return [...typists.filter((t) => t.key !== typist.key), typist];
}

/** The typists after a batch of frames for the open conversation (other conversations' frames are ignored). */
export function applyTypingFrames(typists: readonly Typist[], frames: readonly Frame[], context: TypingContext): Typist[] {
  let next = [...typists];
  for (const frame of frames) {
    if (frame.conversationId !== context.conversationId) continue;
    const d = frame.data;
    if (frame.type === 'typing') {
      if (d.author === 'contact') {
        next = upsert(next, { key: 'contact', name: context.customerName, until: context.now + TYPING_SHOW_MS });
      } else if (d.author === 'user') {
        const userId = str(d.userId);
        if (userId === context.me) continue;
        // An admin token has no user: it still is someone typing.
        next = upsert(next, { key: `user:${userId ?? 'api'}`, name: str(d.name) ?? 'Someone', until: context.now + TYPING_SHOW_MS });
      }
    } else if (frame.type === 'message.created') {
      // Their message arrived: they stopped typing it.
      const key = d.author === 'contact' ? 'contact' : d.author === 'user' ? `user:${str(d.authorId) ?? 'api'}` : null;
      if (key !== null) next = next.filter((t) => t.key !== key);
    }
  }
  return next;
}

/** Those still typing at `now`, the customer first. */
export function activeTypists(typists: readonly Typist[], now: number): Typist[] {
  return typists.filter((t) => t.until > now).sort((a, b) => (a.key === 'contact' ? -1 : b.key === 'contact' ? 1 : a.name.localeCompare(b.name)));
}

/** "Lucía is typing…", "Lucía and Ana are typing…", "Lucía, Ana and Sam are typing…"; null for nobody. */
export function typingText(typists: readonly Typist[]): string | null {
  const names = typists.map((t) => t.name);
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0] ?? ''} is typing…`;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''} are typing…`;
}

/** Whether the composer should tell others now: a reply (never a note) with text, at most once per interval. */
export function shouldSendTyping(input: { mode: 'reply' | 'note'; text: string; lastSentAt: number | null; now: number }): boolean {
  if (input.mode !== 'reply' || input.text.trim() === '') return false;
  return input.lastSentAt === null || input.now - input.lastSentAt >= TYPING_SEND_INTERVAL_MS;
}
