/**
 * Knowledge retrieval for the built-in AI agent: which article answers the
 * customer's question, and how sure we are, as a number an admin can set a threshold on.
 *
 * MiniSearch (BM25 over title ×3, tags ×2, body; prefix and fuzzy matching; our folding and
 * stemming as its term pipeline) finds candidates and breaks ties between equally covering
 * articles; articles sharing a term with the query by `termSimilarity` are candidates too. Its raw score is not
 * comparable across queries (it grows with the number and rarity of query words), so the
 * confidence is computed separately, from what the query asked and what the article covers:
 *
 *   w(q)          = ln(1 + N / df(q))     per topic term q of the query (N articles; df = number of
 *                                          articles containing q or its closest form; a word no
 *                                          article contains gets the maximum ln(1 + N))
 *   m(q, A)       = termSimilarity(q, t) for the best term t of article A (1 exact, 0.85 prefix/
 *                   derivation, 0.7 typo), × 0.8 when t is only in the body, not the title/tags
 *   coverage(A)   = Σ w(q)·m(q, A) / Σ w(q)
 *   margin(A)     = 1 − (best coverage of another article in A's language) / coverage(A), ≥ 0
 *   confidence(A) = coverage(A) × (0.75 + 0.25 × margin(A)) × (0.8 if the conversation's language
 *                   is known, some article is in it, and A is in another language; else 1)
 *
 * So confidence is 1 when every topic word of the question is in one article's title and no other
 * article competes; a question whose words are mostly unknown to the knowledge base scores low
 * however high its BM25 score ("do you sell gift cards?" matching only "card" gets ≤ 1/3); two
 * articles that answer equally well cost a quarter. A translation of the same article is not a
 * competitor (margin is within one language), and an article in another language than the
 * customer's must match clearly better to be sent (the German article must not answer an English
 * question just because "Passwort" is one letter from "password"); among articles above the
 * threshold, one in the customer's language is chosen first. Stop words and conversational filler ("I was
 * wondering if you could help me…") are not topic terms, so politeness does not lower confidence.
 *
 * Built once per workspace revision; a search is one MiniSearch query plus a pass over the
 * vocabulary for each query term.
 */
import MiniSearch from 'minisearch';
import type { KnowledgeConfig } from '../../contract/config.js';
import { articleText } from './article-text.js';
import { FILLER_WORDS, primaryLanguage, STOP_WORDS, stem, topicTerms, words } from './normalize-text.js';
import { termSimilarity } from './term-similarity.js';

export interface KnowledgeMatch {
  readonly article: KnowledgeConfig;
  /** 0…1, see the formula above. */
  readonly confidence: number;
  readonly coverage: number;
}

export interface KnowledgeSearchOptions {
  /** The conversation's language: among articles above the threshold, one in it is preferred. */
  readonly language: string | null;
  readonly threshold: number;
  /** Articles not to offer again (the one the customer said did not help). */
  readonly exclude?: ReadonlySet<string>;
}

export interface KnowledgeIndex {
  /** The best article for `text` (null when no article shares a topic term with it). */
  search(text: string, options: KnowledgeSearchOptions): KnowledgeMatch | null;
  /**
   * The `limit` best articles for `text`, most confident first (grounding for a language model:
   * it gets several candidates and decides itself; no threshold).
   */
  rank(text: string, options: { readonly language: string | null; readonly limit: number }): KnowledgeMatch[];
  /** The id of the article whose body `reply` contains (to know what was answered before). */
  articleIn(reply: string): string | null;
}

interface IndexedArticle {
  readonly article: KnowledgeConfig;
  readonly language: string;
  readonly headTerms: ReadonlySet<string>;
  readonly allTerms: ReadonlySet<string>;
  /** As sent (paragraphs, article-text.ts) and as written: replies stored before either. */
  readonly bodies: readonly string[];
}

const BODY_ONLY = 0.8;
const FOREIGN_LANGUAGE = 0.8;
const CANDIDATES = 12;

function processTerm(term: string): string | null {
  if (STOP_WORDS.has(term) || FILLER_WORDS.has(term)) return null;
  return stem(term);
}

export function createKnowledgeIndex(articles: readonly KnowledgeConfig[]): KnowledgeIndex {
  const indexed = new Map<string, IndexedArticle>();
  const documentFrequency = new Map<string, number>();
  const postings = new Map<string, string[]>();
  for (const article of articles) {
    const headTerms = new Set([...topicTerms(article.title), ...topicTerms(article.tags.join(' '))]);
    const allTerms = new Set([...headTerms, ...topicTerms(article.body)]);
    for (const term of allTerms) {
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
      const holders = postings.get(term) ?? [];
      holders.push(article.id);
      postings.set(term, holders);
    }
    indexed.set(article.id, {
      article,
      language: primaryLanguage(article.language),
      headTerms,
      allTerms,
      bodies: [articleText(article.body), article.body.trim()].filter((body) => body !== ''),
    });
  }
  const vocabulary = [...documentFrequency.keys()];
  const languages = new Set([...indexed.values()].map((entry) => entry.language));
  const articleCount = indexed.size;
  const unknownWeight = Math.log(1 + articleCount);

  const MAX_FUZZY_TERM = 24;
  const MAX_QUERY_CHARACTERS = 2_000;
  const search = new MiniSearch<{ id: string; title: string; body: string; tags: string }>({
    fields: ['title', 'tags', 'body'],
    tokenize: (text) => words(text),
    processTerm,
    searchOptions: {
      boost: { title: 3, tags: 2 },
      prefix: (term) => term.length >= 4,
      // A typo-tolerant match costs time in the term's length times the allowed edits (20% of
      // it): quadratic. Beyond MAX_FUZZY_TERM characters a token is no word with a typo in it
      // (a 20,000-character "aaaa…" took 0.2–1 s of the event loop), so it is matched exactly.
      fuzzy: (term) => (term.length >= 6 && term.length <= MAX_FUZZY_TERM ? 0.2 : false),
      combineWith: 'OR',
    },
  });
  search.addAll(articles.map((a) => ({ id: a.id, title: a.title, body: a.body, tags: a.tags.join(' ') })));

  /** For each query term: its weight and the vocabulary terms it matches, with similarity. */
  function expand(queryTerms: readonly string[]): { weight: number; matches: Map<string, number> }[] {
    return queryTerms.map((query) => {
      const matches = new Map<string, number>();
      let df = 0;
      for (const term of vocabulary) {
        const similarity = termSimilarity(query, term);
        if (similarity === 0) continue;
        matches.set(term, similarity);
        df = Math.max(df, documentFrequency.get(term) ?? 0);
      }
      return { weight: df === 0 ? unknownWeight : Math.log(1 + articleCount / df), matches };
    });
  }

  function coverage(entry: IndexedArticle, expanded: ReturnType<typeof expand>): number {
    let matched = 0;
    let total = 0;
    for (const { weight, matches } of expanded) {
      total += weight;
      let best = 0;
      for (const [term, similarity] of matches) {
        if (!entry.allTerms.has(term)) continue;
        best = Math.max(best, entry.headTerms.has(term) ? similarity : similarity * BODY_ONLY);
      }
      matched += weight * best;
    }
    return total === 0 ? 0 : matched / total;
  }

  /** Every article sharing a topic term with `text`, with its confidence, most confident first. */
  function score(whole: string, options: Pick<KnowledgeSearchOptions, 'language' | 'exclude'>): { matches: (KnowledgeMatch & { language: string })[]; wanted: string | null } {
    // Each query term costs a search; a question is read on its first MAX_QUERY_CHARACTERS, so a
    // 20,000-character message costs what a long question does (it held the event loop ~90 ms).
    const text = whole.length > MAX_QUERY_CHARACTERS ? whole.slice(0, MAX_QUERY_CHARACTERS) : whole;
    const queryTerms = topicTerms(text);
    if (queryTerms.length === 0 || articleCount === 0) return { matches: [], wanted: null };
    const expanded = expand(queryTerms);
    // Candidates: MiniSearch's best, plus any article holding a term the query matched by our
    // own similarity (MiniSearch's fuzzy distance misses "exportiere" → "export").
    const candidates = new Map<string, number>();
    for (const result of search.search(text).slice(0, CANDIDATES)) candidates.set(String(result.id), result.score);
    for (const { matches } of expanded) {
      for (const term of matches.keys()) {
        for (const id of postings.get(term) ?? []) if (!candidates.has(id)) candidates.set(id, 0);
      }
    }
    const scored: { entry: IndexedArticle; coverage: number; score: number }[] = [];
    for (const [id, score] of candidates) {
      const entry = indexed.get(id);
      if (entry === undefined || options.exclude?.has(entry.article.id) === true) continue;
      const value = coverage(entry, expanded);
      if (value > 0) scored.push({ entry, coverage: value, score });
    }
    if (scored.length === 0) return { matches: [], wanted: null };
    scored.sort((a, b) => b.coverage - a.coverage || b.score - a.score);
    // With no article in the customer's language there is nothing to prefer: no penalty.
    const requested = options.language === null ? null : primaryLanguage(options.language);
    const wanted = requested !== null && languages.has(requested) ? requested : null;

    const matches = scored.map(({ entry, coverage: value }) => {
      let rival = 0;
      for (const other of scored) {
        if (other.entry !== entry && other.entry.language === entry.language) rival = Math.max(rival, other.coverage);
      }
      const margin = Math.max(0, 1 - rival / value);
      const foreign = wanted !== null && entry.language !== wanted ? FOREIGN_LANGUAGE : 1;
      const confidence = Math.min(1, Math.max(0, value * (0.75 + 0.25 * margin) * foreign));
      return { article: entry.article, language: entry.language, confidence, coverage: value };
    });
    matches.sort((a, b) => b.confidence - a.confidence);
    return { matches, wanted };
  }

  return {
    search(text, options) {
      const { matches, wanted } = score(text, options);
      const best = matches[0];
      if (best === undefined) return null;
      const preferred =
        wanted === null || best.language === wanted
          ? undefined
          : matches.find((m) => m.language === wanted && m.confidence >= options.threshold);
      const chosen = preferred ?? best;
      return { article: chosen.article, confidence: chosen.confidence, coverage: chosen.coverage };
    },

    rank(text, options) {
      return score(text, { language: options.language })
        .matches.slice(0, Math.max(0, options.limit))
        .map(({ article, confidence, coverage: value }) => ({ article, confidence, coverage: value }));
    },

    articleIn(reply) {
      for (const entry of indexed.values()) if (entry.bodies.some((body) => reply.includes(body))) return entry.article.id;
      return null;
    },
  };
}
