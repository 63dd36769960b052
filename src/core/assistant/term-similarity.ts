/**
 * How alike two stemmed terms are, for retrieval confidence, intents and never-automate topics.
 * The stemmer in normalize-text is deliberately light, so inflections it misses are caught here:
 *
 * - 1    the same stem ("refund" ← refunds/refunded/refunding);
 * - 0.85 one is a prefix of the other: the shorter has ≥ 5 letters ("cancel" / "cancell" from
 *        cancelled, "legal" / "legally"), or ≥ 3 letters and at most 3 more in the longer
 *        ("log" / "logg" from logging / "login");
 * - 0.85 a long common prefix (≥ 6 letters and ≥ 80 % of the shorter stem): Romance derivations
 *        the stemmer leaves apart ("cancell" / "cancelacion", "factur" / "facturacion");
 * - 0.7  one edit apart when both have ≥ 6 letters: a typo ("pasword" → "passwor"), while
 *        short words stay apart ("cancel" / "cancer" would be one edit, but so is "bill" / "pill").
 * - 0    otherwise.
 */
import { withinOneEdit } from './normalize-text.js';

export const EXACT = 1;
export const PREFIX = 0.85;
export const TYPO = 0.7;

export function termSimilarity(a: string, b: string): number {
  if (a === b) return EXACT;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (longer.startsWith(shorter)) {
    if (shorter.length >= 5) return PREFIX;
    if (shorter.length >= 3 && longer.length - shorter.length <= 3) return PREFIX;
  }
  if (shorter.length >= 6) {
    let common = 0;
    while (common < shorter.length && shorter.charCodeAt(common) === longer.charCodeAt(common)) common += 1;
    if (common >= 6 && common >= 0.8 * shorter.length) return PREFIX;
    if (withinOneEdit(a, b)) return TYPO;
  }
  return 0;
}
