/**
 * Never-automate topics: the admin lists subjects the AI agent must not answer
 * (`neverAutomate: [refund, legal, cancellation]`); a message that touches one goes to a person.
 *
 * A topic is a word or a phrase; a phrase matches when each of its words is in the message, in any
 * order. Words are compared as stems with `termSimilarity` (so refunds/refunded/refunding, cancel/
 * cancels/cancelled/cancellation/cancelación all match), and for words under 5 letters only
 * exactly, so a short topic does not swallow longer words.
 *
 * The admin writes topics in one language, customers write in theirs. For the subjects help desks
 * keep away from automation most often (refunds, cancellations, legal matters, chargebacks,
 * complaints, personal-data requests), a topic that matches one of the words below also matches
 * that subject's words in en/es/fr/de/pt: "refund" catches "reembolso", "remboursement",
 * "Rückerstattung", "estorno". Unlisted topics match only as written (add translations to the list).
 */
import { STOP_WORDS, stem, words } from './normalize-text.js';
import { termSimilarity } from './term-similarity.js';

const SUBJECTS: readonly (readonly string[])[] = [
  [
    'refund', 'reimburse', 'reimbursement', 'money back', 'reembolso', 'reembolsar', 'devolucion del dinero',
    'devolver el dinero', 'devuelvan el dinero', 'remboursement', 'rembourser', 'rembourse', 'ruckerstattung',
    'erstattung', 'erstatten', 'geld zuruck', 'estorno', 'devolver o dinheiro', 'dinheiro de volta',
  ],
  [
    'cancel', 'cancellation', 'cancelation', 'terminate my subscription', 'close my account', 'cancelar',
    'cancelacion', 'darme de baja', 'dar de baja', 'annuler', 'annulation', 'resilier', 'resiliation',
    'desabonner', 'desabonnement', 'kundigen', 'kundigung', 'stornieren', 'stornierung', 'abo beenden',
    'cancelamento', 'encerrar minha conta',
  ],
  [
    'legal', 'lawyer', 'attorney', 'lawsuit', 'sued', 'suing', 'abogado', 'abogados', 'demandar',
    'juridico', 'judicial', 'tribunal', 'avocat', 'juridique', 'poursuites', 'anwalt', 'rechtsanwalt', 'klage',
    'verklagen', 'gericht', 'rechtlich', 'juristisch', 'advogado', 'processo judicial',
  ],
  ['chargeback', 'contracargo', 'retrofacturation', 'ruckbuchung', 'lastschrift zuruck'],
  ['complaint', 'formal complaint', 'queja', 'reclamacion', 'plainte', 'reclamation', 'beschwerde', 'reclamacao'],
  ['gdpr', 'rgpd', 'dsgvo', 'lgpd', 'privacy', 'privacidad', 'confidentialite', 'datenschutz', 'privacidade'],
];

type Phrase = readonly string[];

function phraseOf(text: string): Phrase {
  return words(text)
    .filter((word) => !STOP_WORDS.has(word))
    .map(stem);
}

function wordsMatch(topic: string, term: string): boolean {
  if (topic === term) return true;
  if (topic.length < 5 || term.length < 5) return false;
  return termSimilarity(topic, term) > 0;
}

export interface TopicMatch {
  /** The topic as the admin wrote it. */
  readonly topic: string;
  /** The words of the message that matched. */
  readonly matched: string;
}

export type TopicMatcher = (text: string) => TopicMatch | null;

export function createTopicMatcher(topics: readonly string[]): TopicMatcher {
  const compiled = topics
    .map((topic) => {
      const own = phraseOf(topic);
      const phrases: Phrase[] = own.length > 0 ? [own] : [];
      for (const subject of SUBJECTS) {
        const subjectPhrases = subject.map(phraseOf);
        const related = own.some((word) => subjectPhrases.some((p) => p.length === 1 && p[0] !== undefined && wordsMatch(p[0], word)));
        if (related) phrases.push(...subjectPhrases.filter((p) => p.length > 0));
      }
      return { topic, phrases };
    })
    .filter((entry) => entry.phrases.length > 0);

  return (text) => {
    if (compiled.length === 0) return null;
    const found = words(text).filter((word) => !STOP_WORDS.has(word));
    const terms = found.map(stem);
    for (const { topic, phrases } of compiled) {
      for (const phrase of phrases) {
        const hits: string[] = [];
        for (const word of phrase) {
          const index = terms.findIndex((term) => wordsMatch(word, term));
          if (index === -1) break;
          hits.push(found[index] ?? word);
        }
        if (hits.length === phrase.length) return { topic, matched: hits.join(' ') };
      }
    }
    return null;
  };
}
