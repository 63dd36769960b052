/**
 * `negative_sentiment`: is the customer *clearly* frustrated?
 *
 * A soft trigger that rules may route on ("angry customers go to the senior desk"), so it must
 * not fire on ordinary problem reports: "problem", "issue", "error", "not working", "bad
 * request" are how people describe what they need, not how they feel. It fires on:
 *
 * - insults, profanity and verdicts on the service in en/es/fr/de/pt ("this is useless",
 *   "ridiculous", "es inútil", "c'est nul", "das ist lächerlich", "isso é um absurdo", "wtf");
 * - exasperation about repeating themselves ("third time I ask", "how many times",
 *   "ya van tres veces", "combien de fois", "zum dritten Mal", "quantas vezes");
 * - typography: three or more ! or ? in a row ("hello???", "NOW!!!"), or several words of
 *   shouting (≥ 3 words of ≥ 2 letters in capitals making up ≥ 60 % of the words; acronyms in
 *   a normal sentence, "SSO with SAML via the API", stay below that).
 *
 * Patterns run on `matchText` (folded, one space between words), compiled once.
 */
import { matchText } from './normalize-text.js';

// Whole words or phrases; alternatives are joined into one expression per language.
const PHRASES: Readonly<Record<string, readonly string[]>> = {
  en: [
    'useless', 'ridiculous', 'pathetic', 'absurd', 'unacceptable', 'outrageous', 'disgraceful', 'shameful',
    'terrible service', 'awful service', 'horrible service', 'worst (?:service|support|company|app|experience|product)',
    'a joke', 'is a scam', 'scammers?', 'rip ?off', 'idiots?', 'morons?',
    '(?:so|this is|that s|thats|you re|youre|you are|are you|is this) (?:so |really )?(?:stupid|dumb)', '(?:stupid|dumb) (?:app|service|company|bot|system|thing|website|site|product)',
    'incompetent', 'wtf', 'ffs', 'omfg', 'damn', 'goddamn', 'shit\\w*', 'bullshit', 'fuck\\w*', 'crap', 'crappy',
    'sucks?', 'garbage', 'rubbish', 'fed up', 'sick (?:and tired )?of', 'furious', 'livid', 'pissed',
    'so (?:angry|annoyed|frustrated|mad)', 'really (?:angry|annoyed|frustrated|mad)', 'very (?:angry|annoyed|frustrated)',
    'i m (?:angry|annoyed|frustrated|furious)', 'im (?:angry|annoyed|frustrated|furious)',
    'i am (?:angry|annoyed|frustrated|furious|fed up)', 'frustrating', 'waste of (?:my )?(?:time|money)',
    '(?:third|fourth|fifth|3rd|4th|5th|\\d+th) time', 'how many (?:more )?times', 'again and again',
    'over and over', 'asked (?:this |you )?(?:already|before|twice|three times)', 'keep (?:asking|telling you)',
    'nobody (?:helps|answers|cares)', 'no one (?:helps|answers|cares)', 'never again',
  ],
  es: [
    'inutil(?:es)?', 'ridicul[oa]s?', 'absurd[oa]s?', 'patetic[oa]s?', 'pesim[oa]s?', 'horrible(?:s)?',
    'una verguenza', 'que verguenza', 'vergonzoso', 'inaceptable', 'indignante', 'es una estafa', 'estafadores',
    'ladrones', 'una broma', 'una porqueria', 'porqueria', 'basura', 'mierda', 'joder', 'jodid[oa]s?', 'carajo',
    'puta', 'idiotas?', '(?:que|son|eres|es) (?:un[oa]?s? )?estupid[oa]s?', 'imbeciles?', 'incompetentes?', 'hart[oa]s?', 'estoy (?:muy )?(?:enfadad[oa]|molest[oa]|enojad[oa]|furios[oa])',
    'que rabia', 'no sirve(?:n)? para nada', 'no sirve(?:n)? de nada', 'perdida de tiempo',
    '(?:tercera|cuarta|quinta) vez', 'ya van (?:dos|tres|cuatro|\\d+) veces', 'cuantas veces', 'otra vez lo mismo',
    'nadie (?:me )?(?:ayuda|responde|contesta)',
  ],
  fr: [
    'c est nul', 'c est vraiment nul', 'vraiment nul', 'service nul', 'nul a chier', 'nuls', 'inutile',
    'ridicule', 'absurde', 'lamentable', 'pathetique', 'inadmissible', 'inacceptable', 'honteux', 'scandaleux',
    'une honte', 'c est une arnaque', 'arnaqueurs', 'escrocs?', 'voleurs', 'une blague', 'merde', 'putain', 'bordel',
    'debiles?', 'idiots?', 'incompetents?', 'j en ai marre', 'marre', 'ras le bol', 'enerve(?:e)?', 'furieu(?:x|se)',
    'agace(?:e)?', 'perte de temps', '(?:troisieme|quatrieme|cinquieme) fois', 'combien de fois',
    'personne ne (?:repond|m aide)',
  ],
  de: [
    'lacherlich', 'nutzlos', 'sinnlos', 'unverschamt', 'unverschamtheit', 'frechheit', 'inakzeptabel',
    'eine schande', 'eine katastrophe', 'katastrophal', 'betruger', 'abzocke', 'ein witz', 'scheisse',
    'scheiss\\w*', 'mist', 'verdammt', 'idioten?', 'inkompetent', 'sauer', 'wutend',
    'genervt', 'stinksauer', 'es reicht', 'reicht mir', 'zeitverschwendung', 'zum (?:dritten|vierten|funften) mal',
    'wie oft noch', 'wie oft (?:muss|soll) ich', 'niemand (?:hilft|antwortet)',
  ],
  pt: [
    'absurdo', 'um absurdo', 'inutil', 'inuteis', 'ridiculo', 'ridicula', 'pessimo', 'pessima', 'horrivel',
    'uma vergonha', 'vergonhoso', 'inaceitavel', 'palhacada', 'e um golpe', 'ladroes', 'uma piada', 'merda', 'porra',
    'caralho', 'idiotas?', 'estupid[oa]s?', 'incompetentes?', 'lixo', 'um lixo', 'estou (?:muito )?(?:irritad[oa]|chatead[oa]|furios[oa])',
    'fart[oa]', 'que raiva', 'perda de tempo', '(?:terceira|quarta|quinta) vez', 'quantas vezes',
    'ninguem (?:me )?(?:ajuda|responde)', 'nao serve para nada',
  ],
};

const LEXICON: readonly RegExp[] = Object.values(PHRASES).map(
  (phrases) => new RegExp(`(?:^| )(?:${phrases.join('|')})(?= |$)`),
);

const REPEATED_MARKS = /(?:[!?¡¿]\s*){3,}/u;
const WORD = /[\p{L}\p{N}]+/gu;
const UPPER_WORD = /^\p{Lu}[\p{Lu}\p{N}]+$/u;
const SHOUT_WORDS = 3;
const SHOUT_SHARE = 0.6;

function isShouting(text: string): boolean {
  const found = text.match(WORD) ?? [];
  const lettered = found.filter((word) => /\p{L}{2,}/u.test(word));
  if (lettered.length < SHOUT_WORDS) return false;
  const upper = lettered.filter((word) => UPPER_WORD.test(word)).length;
  return upper >= SHOUT_WORDS && upper >= SHOUT_SHARE * lettered.length;
}

/** Does this message show clear frustration (any supported language)? */
export function detectFrustration(text: string): boolean {
  if (REPEATED_MARKS.test(text) || isShouting(text)) return true;
  const folded = matchText(text);
  if (folded === '') return false;
  return LEXICON.some((pattern) => pattern.test(folded));
}
