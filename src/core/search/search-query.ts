/**
 * What a person typed in a search box, as terms the store can match safely (the store quotes
 * each as a phrase: store/repositories/search.ts). Pure: the same parse for conversations and
 * contacts, and for the snippet that shows why a result matched (./snippet.ts).
 */

/** Longer queries are refused, not cut: a person who pasted a paragraph should hear so. */
export const MAX_QUERY_LENGTH = 200;
export const MAX_QUERY_TERMS = 16;
/** A prefix shorter than this would match a large part of the vocabulary (and cost as much). */
const MIN_PREFIX_LENGTH = 3;

export interface SearchQuery {
  /** Whitespace-separated pieces holding at least one letter or digit, in the order typed. */
  readonly terms: readonly string[];
  /** The last term also matches words it begins: it is one word of at least 3 letters or digits. */
  readonly prefixLast: boolean;
}

export type SearchQueryProblem = 'empty' | 'too_long' | 'too_many_terms';

const HAS_WORD = /[\p{L}\p{N}]/u;
const WORD_ONLY = /^[\p{L}\p{N}]+$/u;

export function parseSearchQuery(text: string): SearchQuery | SearchQueryProblem {
  const normalized = text.normalize('NFC').trim();
  if (normalized.length > MAX_QUERY_LENGTH) return 'too_long';
  const terms = normalized.split(/\s+/u).filter((t) => HAS_WORD.test(t));
  if (terms.length === 0) return 'empty';
  if (terms.length > MAX_QUERY_TERMS) return 'too_many_terms';
  const last = terms[terms.length - 1] ?? '';
  return { terms, prefixLast: WORD_ONLY.test(last) && [...last].length >= MIN_PREFIX_LENGTH };
}

/** Lower case without accents: how both stores compare words (FTS5 `remove_diacritics`). */
export function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a text: runs of letters and digits, as both stores' tokenizers see them. */
export const WORD = /[\p{L}\p{N}]+/gu;
