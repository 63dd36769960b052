/**
 * The default customer-facing sentences and formatting the handoff decision uses. They belong
 * to the assistant module (texts, wait phrasing) and the schedule module (instants in a zone);
 * this adapter is the one place handoff code reaches them.
 */
import { formatInstant } from '../schedule/schedule.js';
import { primarySubtag, renderTemplate } from './render-template.js';

const HANDOFF: Record<string, string> = {
  en: "I'm connecting you to a support specialist.",
  es: 'Te estoy poniendo en contacto con un especialista de soporte.',
  fr: 'Je vous mets en relation avec un conseiller.',
  de: 'Ich verbinde Sie mit einer Mitarbeiterin oder einem Mitarbeiter unseres Supports.',
  pt: 'Estou transferindo você para um especialista do suporte.',
};
const EXPECTATION: Record<string, string> = {
  en: 'Expected wait: {{expected_wait}}.',
  es: 'Tiempo estimado de espera: {{expected_wait}}.',
  fr: 'Attente estimée : {{expected_wait}}.',
  de: 'Voraussichtliche Wartezeit: {{expected_wait}}.',
  pt: 'Tempo estimado de espera: {{expected_wait}}.',
};
const OUT_OF_HOURS: Record<string, string> = {
  en: "We're closed right now; we'll be back {{business_hours.next_open}}.",
  es: 'Ahora estamos cerrados; volvemos {{business_hours.next_open}}.',
  fr: 'Nous sommes fermés pour le moment ; nous serons de retour {{business_hours.next_open}}.',
  de: 'Wir sind gerade nicht erreichbar; wir sind {{business_hours.next_open}} wieder da.',
  pt: 'Estamos fechados agora; voltamos {{business_hours.next_open}}.',
};
const JOINED: Record<string, string> = {
  en: '{{agent.name}} joined the conversation.',
  es: '{{agent.name}} se ha unido a la conversación.',
  fr: '{{agent.name}} a rejoint la conversation.',
  de: '{{agent.name}} ist dem Gespräch beigetreten.',
  pt: '{{agent.name}} entrou na conversa.',
};
const UNDER_A_MINUTE: Record<string, string> = {
  en: 'less than a minute',
  es: 'menos de un minuto',
  fr: "moins d'une minute",
  de: 'weniger als eine Minute',
  pt: 'menos de um minuto',
};

function pick(table: Record<string, string>, lang: string): string {
  return table[primarySubtag(lang)] ?? table.en ?? '';
}

export function handoffText(lang: string): string {
  return pick(HANDOFF, lang);
}

export function expectationText(lang: string): string {
  return pick(EXPECTATION, lang);
}

export function outOfHoursText(lang: string): string {
  return pick(OUT_OF_HOURS, lang);
}

/** "Ana joined the conversation." — the first name only, as the widget's header and typing line say it. */
export function joinedText(lang: string, name: string): string {
  return renderTemplate(pick(JOINED, lang), { 'agent.name': name.split(' ')[0] ?? name });
}

/**
 * Each sentence of a customer message that speaks of waiting (`{{expected_wait}}`,
 * `{{queue.position}}`) dropped: said when a person was assigned straight away, it would promise
 * "less than a minute" under a header that already says who the customer is chatting with.
 */
const SENTENCE_END = /(?<=[.!?…。])\s+/;
const WAIT_VARIABLE = /\{\{\s*(?:expected_wait|queue\.position)\s*\}\}/;
export function withoutWaitSentences(template: string): string {
  if (!WAIT_VARIABLE.test(template)) return template;
  return template
    .split(SENTENCE_END)
    .filter((sentence) => !WAIT_VARIABLE.test(sentence))
    .join(' ')
    .trim();
}

/**
 * Intl formatters cost tens of microseconds to build: one per language and unit, built once.
 * Formatting costs about a microsecond, and waits repeat (a handful of whole minutes and
 * hours), so each formatter remembers its texts: the memo of a pure function.
 */
interface UnitFormat {
  readonly format: Intl.NumberFormat;
  readonly texts: Map<number, string>;
}
const unitFormats = new Map<string, UnitFormat>();
/** Languages come from customers' browsers: bound the formats kept, as the texts per format. */
const MAX_UNIT_FORMATS = 256;
const MAX_TEXTS_PER_FORMAT = 1_024;
/** Every minute `waitText` says (1–89), and hours up to five days (closed over a long weekend). */
const PREFORMATTED_MINUTES = [1, 89] as const;
const PREFORMATTED_HOURS = [2, 120] as const;

function unitFormat(lang: string, unit: 'minute' | 'hour'): UnitFormat {
  const key = `${lang}:${unit}`;
  let entry = unitFormats.get(key);
  if (entry === undefined) {
    let format: Intl.NumberFormat;
    try {
      format = new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 0 });
    } catch {
      // A malformed language tag from a customer's browser: English rather than a failed handoff.
      format = new Intl.NumberFormat('en', { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: 0 });
    }
    entry = { format, texts: new Map() };
    // The values `waitText` asks for most, formatted now: a decision that met a new wait paid a
    // format, which set the routing benchmark's tail (bench/results/routing-profile.md); one
    // whose formatter is new pays for them all, once per language.
    const [from, to] = unit === 'minute' ? PREFORMATTED_MINUTES : PREFORMATTED_HOURS;
    for (let value = from; value <= to; value += 1) entry.texts.set(value, format.format(value));
    if (unitFormats.size >= MAX_UNIT_FORMATS) unitFormats.clear();
    unitFormats.set(key, entry);
  }
  return entry;
}

function formatUnit(lang: string, unit: 'minute' | 'hour', value: number): string {
  const { format, texts } = unitFormat(lang, unit);
  let text = texts.get(value);
  if (text === undefined) {
    text = format.format(value);
    if (texts.size >= MAX_TEXTS_PER_FORMAT) texts.clear();
    texts.set(value, text);
  }
  return text;
}

/** "5 minutos", "2 Stunden", "less than a minute": the expected wait in the customer's language. */
export function waitText(seconds: number, lang: string): string {
  const primary = primarySubtag(lang);
  if (seconds < 60) return pick(UNDER_A_MINUTE, primary);
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return formatUnit(primary, 'minute', minutes);
  return formatUnit(primary, 'hour', Math.round(minutes / 60));
}

/** In the customer's zone and language (schedule module; never throws on a bad zone or tag). */
export function instantText(at: number, timezone: string, lang: string): string {
  return formatInstant(at, timezone, lang);
}
