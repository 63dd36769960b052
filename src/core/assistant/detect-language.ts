/**
 * The customer's language (ISO 639-1), from their own words.
 *
 * franc (trigram profiles) is reliable on a paragraph and unreliable on a chat line: on
 * "How do I reset my password?" it says Portuguese, on "Necesito ayuda con mi factura" too. So
 * three kinds of evidence are added up per language:
 *
 * - cue words: frequent function words and greetings that (mostly) belong to one language
 *   ("the", "how", "my" / "quiero", "necesito", "hola" / "je", "vous" / "ich", "nicht" / "não",
 *   "você"). A word listed for several languages is split between them (1/n each).
 * - marks: letters typed with their accents that only one language uses (ñ ¿ ¡ → es, ã õ → pt,
 *   ä ö ü ß → de, è ù û œ î → fr; not ê, which Portuguese has too): 1.5 once per language.
 * - franc, restricted to the languages a help desk sees (`only`), when there are ≥ 20 letters:
 *   its best language gets 10 × (1 − the second's relative score) points, capped at 1 under 40
 *   letters, 2.5 under 60 and 3.75 above, so it breaks ties on short text and dominates on long.
 *
 * The best language wins when it has ≥ 1 point and strictly more than the next; otherwise null
 * ("ok", "👍", "SSO?"): a wrong language is worse than none, since routing uses it.
 */
import { francAll } from 'franc';
import { words } from './normalize-text.js';

/** franc's ISO 639-3 codes for the languages detected, mapped to ISO 639-1. */
const LANGUAGES: Readonly<Record<string, string>> = {
  eng: 'en',
  spa: 'es',
  fra: 'fr',
  deu: 'de',
  por: 'pt',
  ita: 'it',
  nld: 'nl',
};
const FRANC_ONLY = Object.keys(LANGUAGES);

const CUE_WORDS: Readonly<Record<string, string>> = {
  en: `the i you my me is are was how what why where when can cant cannot dont doesnt didnt do does
    to with and have has it this that please hello hi hey thanks thank not get got would could
    should will im ive of for on in your there want need help work working
    yesterday today tomorrow after before since from but just only some any more which who been`,
  es: `el los las la mi mis tu yo no puedo quiero necesito tengo hola gracias favor por para con
    una un y que pero esta estoy es son como cuenta contrasena ayuda hacer puede usted se hay del al
    lo le me muy ya mas de en funciona sesion cuando donde porque buenos buenas dias tardes pago factura
    este estos dos veces mes cobraron cobro intento sigue todavia aun despues antes desde hasta`,
  fr: `je j vous nous le les des du est pas ne n mon ma mes bonjour bonsoir salut merci comment pour
    avec une un et c ca suis ai au aux sur dans qui que mot passe compte aide facture fonctionne
    marche peux veux voudrais besoin il y svp cette votre vos me se la de en
    quel quelle quels fait avez puis chez tres alors toujours encore depuis hier aujourd hui`,
  de: `ich nicht mein meine meinen der die das und ist wie kann bitte danke hallo mit ein eine einen
    kein keine auf fur zu es sie wir habe hat mich mir was warum wo wenn aber noch schon passwort
    konto rechnung anmelden funktioniert geht guten tag morgen in im`,
  pt: `nao voce minha meu obrigado obrigada ola oi consigo preciso quero fazer esta e um uma com do
    da dos das ao na no em isso isto senha conta ajuda tenho pode posso meus minhas muito bom dia
    boa tarde por para que como quando onde porque mas ja fatura pagamento se me de
    este duas vezes mes fui foi estou ainda depois antes desde ate tento voces tem sao estao`,
  it: `non il mio mia sono ciao grazie come posso della che riesco di per e un una ho mi accedere
    buongiorno aiuto fattura perche funziona questo la in`,
  nl: `ik niet mijn het een kan hoe dank wat dat op de en van is te met je u inloggen wachtwoord
    goedemorgen bedankt factuur werkt geen waarom`,
};

/** word → [language, weight] pairs; a word shared by n languages weighs 1/n in each. */
const CUES: ReadonlyMap<string, readonly string[]> = (() => {
  const byWord = new Map<string, string[]>();
  for (const [language, list] of Object.entries(CUE_WORDS)) {
    for (const word of list.split(/\s+/)) {
      if (word === '') continue;
      const languages = byWord.get(word) ?? [];
      if (!languages.includes(language)) languages.push(language);
      byWord.set(word, languages);
    }
  }
  return byWord;
})();

const MARKS: readonly (readonly [string, RegExp])[] = [
  ['es', /[ñÑ¿¡]/u],
  ['pt', /[ãõÃÕ]/u],
  ['de', /[äöüßÄÖÜ]/u],
  ['fr', /[èùûœîÈÙÛŒÎ]/u],
];
const MARK_POINTS = 1.5;

const LETTER = /\p{L}/gu;
const FRANC_MIN_LETTERS = 20;
const FRANC_MEDIUM_LETTERS = 40;
const FRANC_LONG_LETTERS = 60;

interface LanguageGuess {
  readonly language: string | null;
  /** Points of the winner over the runner-up (0 when there is no winner). */
  readonly lead: number;
}

/** The language of `text` (one or more of the customer's messages joined), or null. */
export function detectLanguage(text: string): string | null {
  return guessLanguage(text).language;
}

/**
 * The language of a conversation's newest message. The message decides alone when it carries a
 * clear lead of ≥ 1 point ("bonjour", a full sentence); otherwise ("ok", "Slack", "no funciona")
 * it is read together with the customer's earlier messages, which is what short lines need.
 */
export function detectConversationLanguage(text: string, earlier: readonly string[]): string | null {
  const alone = guessLanguage(text);
  if (alone.language !== null && alone.lead >= 1) return alone.language;
  if (earlier.length === 0) return alone.language;
  return guessLanguage([...earlier, text].join('\n')).language ?? alone.language;
}

function guessLanguage(text: string): LanguageGuess {
  const scores = new Map<string, number>();
  const add = (language: string, points: number): void => {
    scores.set(language, (scores.get(language) ?? 0) + points);
  };

  for (const word of words(text)) {
    const languages = CUES.get(word);
    if (languages === undefined) continue;
    for (const language of languages) add(language, 1 / languages.length);
  }
  for (const [language, mark] of MARKS) if (mark.test(text)) add(language, MARK_POINTS);

  const letters = text.match(LETTER)?.length ?? 0;
  if (letters >= FRANC_MIN_LETTERS) {
    const ranked = francAll(text, { only: FRANC_ONLY, minLength: FRANC_MIN_LETTERS });
    const best = ranked[0];
    const language = best === undefined ? undefined : LANGUAGES[best[0]];
    if (best !== undefined && language !== undefined) {
      const second = ranked[1]?.[1] ?? 0;
      const cap = letters < FRANC_MEDIUM_LETTERS ? 1 : letters < FRANC_LONG_LETTERS ? 2.5 : 3.75;
      add(language, Math.min(cap, 10 * (best[1] - second)));
    }
  }

  let winner: string | null = null;
  let top = 0;
  let runnerUp = 0;
  for (const [language, score] of scores) {
    if (score > top) {
      runnerUp = top;
      top = score;
      winner = language;
    } else if (score > runnerUp) {
      runnerUp = score;
    }
  }
  if (winner === null || top < 1 || top === runnerUp) return { language: null, lead: 0 };
  return { language: winner, lead: top - runnerUp };
}
