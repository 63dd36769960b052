/**
 * No progress: after the AI agent
 * answered, does the customer tell us the answer did not help, or ask the same thing again?
 *
 * Feedback phrases are referential on purpose: "that didn't help", "it still doesn't work",
 * "no me sirve", "ça ne marche toujours pas", "funktioniert immer noch nicht", "não resolveu".
 * A bare "X doesn't work" is how customers *describe* a problem ("my login doesn't work"), so the
 * English and German patterns need an anaphoric subject (that/this/it/das/es) or "still/immer
 * noch"; the Romance languages mark the reference with the pronoun ("no me sirve", "ça ne…").
 * The caller only asks when the assistant has answered before.
 */
import { matchText, topicTerms } from './normalize-text.js';

const PATTERNS: readonly string[] = [
  // en
  '(?:that|this|it|which|thats|your answer|the answer|the article|the link|the steps|those steps) (?:still |just |really |also )?(?:did ?nt|does ?nt|didnt|doesnt|did not|does not|is not|isnt|was not|wasnt|will not|wont) (?:help|work|fix|solve|answer|resolve|apply|helpful|useful|it)',
  '^(?:nope |no |sorry |but )?(?:did ?nt|didnt|does ?nt|doesnt|not) (?:help|work|helpful|useful|fix it|solve it)',
  '(?:still|stil) (?:not|doesnt|dont|didnt|cant|isnt|wont|does not|do not|did not|can not|cannot|is not|broken|the same|failing|no luck|having|getting|happening|same)',
  'not (?:helpful|what i (?:asked|meant|need|needed|was asking))', 'no luck', 'same (?:problem|issue|error|thing) (?:again|as before)',
  '(?:already|i ve|ive) tried (?:that|this|it|those)', 'tried (?:that|this|it|those) already', 'that s not it', 'thats not it',
  'doesnt answer my question', 'didnt answer my question', 'not my question',
  // es
  'no me (?:sirve|sirvio|ayuda|ayudo|ha servido|ha ayudado|funciona|funciono|ha funcionado|resuelve|resolvio|soluciona)',
  'no (?:sirve|sirvio|ha servido|funciono|ha funcionado|resolvio|soluciono|ayudo|ha ayudado)',
  'sigue (?:sin funcionar|igual|fallando|sin|dando|pasando|el mismo)', 'todavia no (?:funciona|puedo|me)', 'aun no (?:funciona|puedo|me)',
  'ya lo (?:intente|probe|hice)', 'eso no es lo que', 'no es lo que (?:pregunte|pedi|necesito)', 'lo mismo de antes',
  // fr
  '(?:ca|cela|ce|c) ne (?:marche|fonctionne|m aide|sert|resout|regle) (?:toujours )?pas', 'ne marche toujours pas',
  'ne fonctionne toujours pas', 'toujours pas', '(?:ca|cela) n a pas (?:aide|marche|fonctionne|resolu|regle)',
  'ne m a pas aide', 'deja essaye', 'pas resolu', 'ce n est pas (?:ca|ce que)', 'toujours le meme (?:probleme|souci)',
  // de
  '(?:das|es|dies) (?:funktioniert|klappt|geht|hilft) (?:immer noch |noch immer |trotzdem |leider )?(?:nicht|nichts)',
  '(?:funktioniert|klappt|geht) (?:immer noch|noch immer|weiterhin|trotzdem) nicht', 'hat (?:mir )?nicht (?:geholfen|funktioniert|geklappt)',
  'hilft (?:mir )?(?:nicht|nichts)', 'immer noch nicht', 'noch immer nicht', 'schon (?:versucht|probiert|gemacht)',
  'das ist nicht (?:was|das)', 'gleiche problem',
  // pt
  'nao (?:resolveu|funcionou|ajudou|serviu|adiantou|deu certo|me ajudou|me serviu)', 'nao me (?:ajuda|serve|ajudou|serviu)',
  'continua (?:sem funcionar|igual|o mesmo|dando|com o mesmo)', 'ainda nao (?:funciona|consigo|deu|resolveu)',
  'ja tentei', 'nao era isso', 'nao e isso', 'mesmo problema',
];

const FEEDBACK = new RegExp(`(?:^| )(?:${PATTERNS.join('|')})(?= |$)`);
const FEEDBACK_ALL = new RegExp(FEEDBACK.source, 'g');

/** Does the customer say the previous answer did not help (any supported language)? */
export function detectUnhelpfulAnswer(text: string): boolean {
  const folded = matchText(text);
  return folded !== '' && FEEDBACK.test(folded);
}

/**
 * The message without its feedback phrases ("that didn't help, I'm on Android" → "i m on
 * android"), folded: what it adds to the previous question when searching again. The phrase
 * itself ("marche", "toujours", "funktioniert", "immer") is about the answer, not the topic, and
 * would only dilute the search.
 */
export function withoutFeedback(text: string): string {
  return matchText(text).replace(FEEDBACK_ALL, ' ').trim();
}

/**
 * Is `text` the same request as `previous` again? Same folded words, or topic terms that overlap
 * by ≥ 80 % (Jaccard), so "how do I reset my password" / "How do I reset my password??" /
 * "how to reset password" count as a repeat.
 */
export function isRepeatedMessage(text: string, previous: string): boolean {
  const a = matchText(text);
  const b = matchText(previous);
  if (a === '' || b === '') return false;
  if (a === b) return true;
  const left = new Set(topicTerms(text));
  const right = new Set(topicTerms(previous));
  if (left.size === 0 || right.size === 0) return false;
  let shared = 0;
  for (const term of left) if (right.has(term)) shared += 1;
  return shared / (left.size + right.size - shared) >= 0.8;
}
