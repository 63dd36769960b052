/**
 * Text normalisation shared by every detector and by retrieval, so that all of them agree on
 * what a "word" is: customers type without accents ("contrasena", "pasame", "moechte"), in any
 * case, with or without punctuation.
 *
 * Two forms:
 * - `foldText`: lower case, accents removed (NFKD + drop combining marks), ß → ss.
 * - `matchText`: `foldText` then one token per word separated by single spaces, with clause
 *   punctuation (. , ; : ! ?) kept as a `.` token so patterns and negation windows do not run
 *   across clauses ("no puedo entrar. quiero hablar con una persona" is not a negated request).
 *   Apostrophes split words ("quelqu'un" → "quelqu un", "j'ai" → "j ai") except English n't,
 *   which stays one token ("don't" → "dont") so a negation is one word.
 */

const COMBINING_MARKS = /\p{M}+/gu;
const LIGATURES = /[ßæœøł]/g;
const LIGATURE_TEXT: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l' };
const CONTRACTION_NT = /n['’`´]t(?![\p{L}\p{N}])/gu;
const CLAUSE_PUNCTUATION = /[.,;:!?¡¿…。！？]+/g;
const NOT_WORD = /[^\p{L}\p{N}.]+/gu;

export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(LIGATURES, (c) => LIGATURE_TEXT[c] ?? c);
}

/** "¿Puedo hablar con una PERSONA, por favor?" → "puedo hablar con una persona . por favor". */
export function matchText(text: string): string {
  const spaced = foldText(text)
    .replace(CONTRACTION_NT, 'nt')
    .replace(CLAUSE_PUNCTUATION, ' . ')
    .replace(NOT_WORD, ' ');
  const out: string[] = [];
  for (const token of spaced.split(' ')) {
    if (token === '') continue;
    if (token === '.' || /^\.+$/.test(token)) {
      if (out.length > 0 && out[out.length - 1] !== '.') out.push('.');
      continue;
    }
    // A dot inside a token ("v2.5", "acme.com") is not a clause end; keep the parts as words.
    if (token.includes('.')) {
      for (const part of token.split('.')) if (part !== '') out.push(part);
      continue;
    }
    out.push(token);
  }
  if (out[out.length - 1] === '.') out.pop();
  return out.join(' ');
}

/** The words of a text, folded, without punctuation. */
export function words(text: string): string[] {
  const tokens = matchText(text).split(' ');
  const out: string[] = [];
  for (const token of tokens) if (token !== '.' && token !== '') out.push(token);
  return out;
}

/**
 * A deliberately light suffix stripper (one pass, longest suffix first) that folds the common
 * plural and verb endings of English and the Romance languages onto one form: charged/charges/
 * charging/charge → "charg", invoices/invoice → "invoic", contraseñas → "contrasena",
 * facturas → "factura". Over-stemming is worse for us than under-stemming: retrieval also does
 * prefix and fuzzy matching, so a missed fold is usually caught there.
 */
export function stem(word: string): string {
  const n = word.length;
  if (n < 5) return word;
  if (word.endsWith('ations') && n - 6 >= 3) return word.slice(0, -6);
  if (word.endsWith('ation') && n - 5 >= 3) return word.slice(0, -5);
  if (word.endsWith('ings') && n - 4 >= 3) return word.slice(0, -4);
  if (word.endsWith('ing') && n - 3 >= 3) return word.slice(0, -3);
  if (word.endsWith('ies') && n - 3 >= 3) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ed') && n - 2 >= 3) return word.slice(0, -2);
  if (word.endsWith('es') && n - 2 >= 3) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  if (word.endsWith('e')) return word.slice(0, -1);
  return word;
}

/**
 * Stop words for retrieval and intent matching, kept light on purpose (function words and
 * greetings only): a knowledge base of product words must keep "account", "cuenta", "plan".
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  [
    // en
    'a an the i me my mine we our us you your it its is are was were be been being am do does did',
    'to of in on at for with and or but if so as by from into about this that these those there here',
    'what how why when where which who whom can could would should will shall may might must have has had',
    'not no yes please hi hello hey thanks thank just im ive id dont cant wont get got any some all',
    // es
    'el la los las un una unos unas de del al y o u que en mi mis me te se su sus tu tus es son esta',
    'estoy estan por para con como lo le les hola no si muy ya yo hay eso esto mas pero cual donde cuando',
    // fr
    'le les des du au aux et ou qui je j il elle nous vous mon ma mes ton ta votre vos est sont pour',
    'avec dans sur ce c cet cette ces ne n pas comment l d m s qu y bonjour merci ai suis',
    // de
    'der die das den dem des ein eine einen einem einer und oder ich du er sie wir ihr mein meine',
    'meinen meinem mit fur auf im zu von ist sind wie was nicht bitte hallo danke habe kann',
    // pt
    'o os as um uma do da dos das e em na nos nas meu minha eu voce por ao nao sim ola oi obrigado',
    // it
    'il lo gli di della che per non ciao grazie',
    // nl
    'het een en ik je mijn voor op te van hoe wat niet',
  ]
    .join(' ')
    .split(' '),
);

/** Content terms of a text: folded words without stop words, stemmed. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    if (STOP_WORDS.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}

/**
 * Conversational filler that carries no topic: "I need help, I was wondering how to…". Dropped
 * (on top of STOP_WORDS) from retrieval, intent and repetition terms, so that a polite long question
 * and a terse one about the same thing get the same confidence. Not used by the human-request,
 * frustration or small-talk detectors, which need these words.
 */
export const FILLER_WORDS: ReadonlySet<string> = new Set(
  [
    // en
    'help helping need needs want wanted know tell wondering wonder trying try able way like would',
    'question questions quick also really possible anyone someone something one cannot could sure thing',
    'things now today again let see yes go going ok okay thx figure out find understand explain wanting',
    'problem problems issue issues trouble didnt doesnt isnt wasnt arent havent',
    // es
    'ayuda ayudar ayudame ayudarme necesito necesita quiero queria quisiera saber puedo puede podria',
    'podrias favor gracias pregunta hacer hago tengo tiene algo alguien buenas buenos dias tardes tambien',
    'ahora hoy otra vez sobre problema problemas duda dudas',
    // fr
    'aide aider aidez besoin veux voudrais savoir peux pouvez pourriez question faire fais avoir quelque',
    'chose aussi maintenant svp plait sil salut probleme problemes souci soucis',
    // de
    'hilfe helfen brauche mochte mochten will wissen frage konnen konnte konnten machen mache etwas',
    'jemand auch jetzt heute gern gerne wurde problem probleme fragen',
    // pt
    'ajuda ajudar preciso precisa quero queria consigo saber posso pode poderia pergunta fazer faco tenho algo alguem',
    'tambem agora hoje problema problemas duvida duvidas',
  ]
    .join(' ')
    .split(' '),
);

/** Topic terms of a text: content terms without conversational filler, stemmed, de-duplicated. */
export function topicTerms(text: string): string[] {
  const out = new Set<string>();
  for (const word of words(text)) {
    if (STOP_WORDS.has(word) || FILLER_WORDS.has(word)) continue;
    out.add(stem(word));
  }
  return [...out];
}

/** True when `a` and `b` differ by at most one insertion, deletion or substitution. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < la && j < lb) {
    if (a.charCodeAt(i) === b.charCodeAt(j)) {
      i += 1;
      j += 1;
      continue;
    }
    edits += 1;
    if (edits > 1) return false;
    if (la > lb) i += 1;
    else if (lb > la) j += 1;
    else {
      i += 1;
      j += 1;
    }
  }
  return edits + (la - i) + (lb - j) <= 1;
}

/** `pt-BR` → `pt`; the primary language subtag, lower case. */
export function primaryLanguage(tag: string): string {
  const dash = tag.indexOf('-');
  return (dash === -1 ? tag : tag.slice(0, dash)).toLowerCase();
}
