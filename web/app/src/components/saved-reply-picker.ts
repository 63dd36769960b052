import type { SavedReply } from '../api.js';

/** The query typed after a leading `/` (`/ref` → `ref`), or null when the text is not a picker query. */
export function slashQuery(text: string): string | null {
  const match = /^\/(\S*)$/.exec(text);
  return match === null ? null : (match[1] ?? '');
}

/**
 * The replies matching a query, best first: shortcut starts with it, then title starts with it,
 * then shortcut, title or body contains it (case-insensitive). An empty query keeps every reply.
 */
export function filterSavedReplies(replies: readonly SavedReply[], query: string): SavedReply[] {
  const q = query.toLowerCase();
  if (q === '') return [...replies];
  const rank = (reply: SavedReply): number => {
    const shortcut = reply.shortcut?.toLowerCase() ?? '';
    const title = reply.title.toLowerCase();
    if (shortcut.startsWith(q)) return 0;
    if (title.startsWith(q)) return 1;
    if (shortcut.includes(q) || title.includes(q)) return 2;
    if ((reply.rendered?.body ?? Object.values(reply.bodies).join(' ')).toLowerCase().includes(q)) return 3;
    return -1;
  };
  return replies
    .map((reply) => ({ reply, rank: rank(reply) }))
    .filter((entry) => entry.rank >= 0)
    .sort((a, b) => a.rank - b.rank)
    .map((entry) => entry.reply);
}
