/**
 * The piece of a text that shows why it matched a search, as segments of plain text with the
 * matched words flagged. Never markup: customers write the text, and the app renders each
 * segment as text (a match in a <mark>), so nothing they typed is ever interpreted.
 */
import { foldWord, WORD, type SearchQuery } from './search-query.js';

export interface SnippetSegment {
  readonly text: string;
  readonly match: boolean;
}

/** Characters of context kept before the first match. */
const LEAD = 60;

/**
 * The words the query looks for, folded; the last one a prefix when the query says so.
 * Each term is split into words the way the stores split it (a phrase of its words).
 */
function wanted(query: SearchQuery): { exact: Set<string>; prefix: string | null } {
  const exact = new Set<string>();
  let prefix: string | null = null;
  query.terms.forEach((term, i) => {
    const words = [...term.matchAll(WORD)].map((m) => foldWord(m[0]));
    words.forEach((w, j) => {
      if (query.prefixLast && i === query.terms.length - 1 && j === words.length - 1) prefix = w;
      else exact.add(w);
    });
  });
  return { exact, prefix };
}

export function findSnippet(text: string, query: SearchQuery, maxChars = 160): SnippetSegment[] {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const { exact, prefix } = wanted(query);
  const isMatch = (word: string): boolean => {
    const folded = foldWord(word);
    return exact.has(folded) || (prefix !== null && folded.startsWith(prefix));
  };
  const words = [...flat.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, match: isMatch(m[0]) }));
  const first = words.find((w) => w.match);
  // Start at a word boundary LEAD characters before the first match; end at one within maxChars.
  let start = 0;
  if (first !== undefined && first.start > LEAD) start = words.find((w) => w.start >= first.start - LEAD)?.start ?? first.start;
  let end = Math.min(flat.length, start + maxChars);
  if (end < flat.length) {
    const cut = words.filter((w) => w.end <= end).pop();
    if (cut !== undefined && cut.end > start) end = cut.end;
  }
  const segments: SnippetSegment[] = [];
  const push = (piece: string, match: boolean) => {
    if (piece === '') return;
    const last = segments[segments.length - 1];
    if (last !== undefined && last.match === match) segments[segments.length - 1] = { text: last.text + piece, match };
    else segments.push({ text: piece, match });
  };
  if (start > 0) push('…', false);
  let at = start;
  for (const w of words) {
    if (!w.match || w.start < start || w.end > end) continue;
    push(flat.slice(at, w.start), false);
    push(flat.slice(w.start, w.end), true);
    at = w.end;
  }
  push(flat.slice(at, end), false);
  if (end < flat.length) push('…', false);
  return segments;
}
