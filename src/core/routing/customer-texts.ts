/**
 * The default customer-facing sentences and formatting the handoff decision uses. They belong
 * to the assistant module (texts, wait phrasing) and the schedule module (instants in a zone);
 * this adapter is the one place handoff code reaches them.
 *
 * TEMPORARY: local stand-ins for the texts until core/assistant exports them.
 */
import { formatInstant } from '../schedule/schedule.js';
import { primarySubtag } from './render-template.js';

const HANDOFF: Record<string, string> = {
  en: "I'm connecting you to a support specialist.",
  es: 'Te estoy poniendo en contacto con un especialista de soporte.',
};
const EXPECTATION: Record<string, string> = {
  en: 'Expected wait: {{expected_wait}}.',
  es: 'Tiempo estimado de espera: {{expected_wait}}.',
};
const OUT_OF_HOURS: Record<string, string> = {
  en: "We're closed right now; we'll be back {{business_hours.next_open}}.",
  es: 'Ahora estamos cerrados; volvemos {{business_hours.next_open}}.',
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

export function waitText(seconds: number, _lang: string): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** In the customer's zone and language (schedule module; never throws on a bad zone or tag). */
export function instantText(at: number, timezone: string, lang: string): string {
  return formatInstant(at, timezone, lang);
}
