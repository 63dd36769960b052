/**
 * Admin intents: `intents: [{ id: billing_dispute, examples: ["I was charged
 * twice", …] }]`. Which intent does the customer's message resemble most?
 *
 * Each example and the message become sets of topic terms (folded, stemmed, without stop words or
 * filler). Against one example E, with M the message's terms and a fuzzy overlap (each term counts
 * its best `termSimilarity` in the other set, so charged/charge and typos still count):
 *
 *   containment = overlap(E in M) / |E|          — how much of the example the message says
 *   dice        = (overlap(E in M) + overlap(M in E)) / (|E| + |M|)   — penalises unrelated extras
 *   score       = 0.6 × containment + 0.4 × dice
 *
 * An intent scores its best example; the best intent wins at score ≥ 0.6 (ties: declaration order).
 * With a two-word example both words must be present (one of two gives 0.3 + ≤ 0.27), while a
 * message saying the example and a few more words still passes ("I was charged twice this month,
 * can you check?" against "I was charged twice": 0.6 + 0.4 × 4/7 = 0.83).
 */
import type { IntentConfig } from '../../contract/config.js';
import { topicTerms } from './normalize-text.js';
import { termSimilarity } from './term-similarity.js';

export const INTENT_THRESHOLD = 0.6;

export interface IntentMatch {
  readonly intent: string;
  readonly score: number;
  readonly example: string;
}

export type IntentMatcher = (text: string) => IntentMatch | null;

function overlap(from: readonly string[], into: readonly string[]): number {
  let total = 0;
  for (const term of from) {
    let best = 0;
    for (const other of into) best = Math.max(best, termSimilarity(term, other));
    total += best;
  }
  return total;
}

export function createIntentMatcher(intents: readonly IntentConfig[]): IntentMatcher {
  const compiled = intents.map((intent) => ({
    id: intent.id,
    examples: intent.examples
      .map((example) => ({ example, terms: topicTerms(example) }))
      .filter((entry) => entry.terms.length > 0),
  }));
  return (text) => {
    const message = topicTerms(text);
    if (message.length === 0) return null;
    let best: IntentMatch | null = null;
    for (const intent of compiled) {
      for (const { example, terms } of intent.examples) {
        const inMessage = overlap(terms, message);
        if (inMessage === 0) continue;
        const containment = inMessage / terms.length;
        const dice = (inMessage + overlap(message, terms)) / (terms.length + message.length);
        const score = Math.min(1, 0.6 * containment + 0.4 * dice);
        if (score >= INTENT_THRESHOLD && (best === null || score > best.score)) {
          best = { intent: intent.id, score, example };
        }
      }
    }
    return best;
  };
}
