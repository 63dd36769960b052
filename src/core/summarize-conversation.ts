/**
 * The extractive handoff summary: what the
 * customer came for and where they are now, in their own words, so the person taking over does
 * not have to scroll. Pure; used at handoff time (services/handoff/decide-and-record-handoff.ts) when no language
 * model gave a summary, and by the simulator.
 *
 * - the first substantive message: the customer's first that is not small talk ("hi", "thanks")
 *   nor "that didn't help" — usually the question they came with;
 * - the latest substantive one, when it is another message (often the reason for the handoff);
 * - how many messages the customer wrote.
 *
 * Each quote is cut at a word boundary to `QUOTE_LENGTH` characters, so the whole stays under
 * `MAX_SUMMARY_LENGTH` however long the customer wrote.
 */
import type { TranscriptLine } from './assistant/assistant.js';
import { detectSmallTalk } from './assistant/detect-small-talk.js';
import { detectUnhelpfulAnswer } from './assistant/detect-unhelpful-answer.js';

export const QUOTE_LENGTH = 140;
export const MAX_SUMMARY_LENGTH = 2 * (QUOTE_LENGTH + 2) + 60;

/** Null when the customer wrote nothing (a handoff on a conversation started by an agent). */
export function summarizeConversation(transcript: readonly TranscriptLine[]): string | null {
  const written = transcript
    .filter((line) => line.author === 'contact')
    .map((line) => oneLine(line.body))
    .filter((body) => body !== '');
  if (written.length === 0) return null;
  const substantive = written.filter((body) => detectSmallTalk(body) === null && !detectUnhelpfulAnswer(body));
  const pool = substantive.length > 0 ? substantive : written;
  const first = pool[0] ?? '';
  const latest = pool[pool.length - 1] ?? first;
  const count = written.length === 1 ? '1 message' : `${written.length} messages`;
  if (pool.length === 1 || latest === first) return `Customer (${count}): ${quote(first)}`;
  return `Customer (${count}): ${quote(first)} … latest: ${quote(latest)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** “text”, at most QUOTE_LENGTH characters inside the quotes, cut at a word boundary. */
function quote(text: string): string {
  if (text.length <= QUOTE_LENGTH) return `“${text}”`;
  const cut = text.slice(0, QUOTE_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  const head = space > QUOTE_LENGTH / 2 ? cut.slice(0, space) : cut;
  return `“${head.trimEnd()}…”`;
}
