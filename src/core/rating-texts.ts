/**
 * What the customer reads when asked to rate a resolved email conversation: the email and the
 * rating page, in the conversation's language (English when there is no translation). Plain text:
 * the callers escape it for HTML.
 */
export interface RatingTexts {
  /** The language these texts are in (the page's `lang`). */
  readonly language: string;
  readonly resolved: (organisation: string) => string;
  readonly question: (organisation: string) => string;
  readonly rateWithLink: string;
  readonly linkNote: string;
  readonly scores: readonly [string, string, string, string, string];
  readonly comment: string;
  readonly send: string;
  readonly thanks: string;
  readonly used: string;
  readonly expired: string;
  readonly stale: string;
  readonly unknown: string;
  readonly pickScore: string;
  readonly commentTooLong: string;
}

const en: RatingTexts = {
  language: 'en',
  resolved: (organisation) => `Your conversation with ${organisation} is resolved.`,
  question: (organisation) => `How would you rate the help you received from ${organisation}?`,
  rateWithLink: 'Rate it from 1 to 5 here (it takes a few seconds):',
  linkNote: 'The link works once, for 30 days. If you still need help, just reply to this email.',
  scores: ['1 – Very poor', '2 – Poor', '3 – OK', '4 – Good', '5 – Excellent'],
  comment: 'Anything you would like to add? (optional)',
  send: 'Send my rating',
  thanks: 'Thank you! Your rating was received.',
  used: 'This link was already used: the conversation is rated. Thank you!',
  expired: 'This link has expired.',
  stale: 'This conversation was reopened after this link was sent. You will get a new link when it is resolved again.',
  unknown: 'This link is not valid.',
  pickScore: 'Choose a score from 1 to 5.',
  commentTooLong: 'The comment is too long (at most 2,000 characters).',
};

const es: RatingTexts = {
  language: 'es',
  resolved: (organisation) => `Tu conversación con ${organisation} está resuelta.`,
  question: (organisation) => `¿Cómo valoras la ayuda que recibiste de ${organisation}?`,
  rateWithLink: 'Valórala del 1 al 5 aquí (es un momento):',
  linkNote: 'El enlace funciona una vez, durante 30 días. Si aún necesitas ayuda, responde a este correo.',
  scores: ['1 – Muy mal', '2 – Mal', '3 – Regular', '4 – Bien', '5 – Excelente'],
  comment: '¿Quieres añadir algo? (opcional)',
  send: 'Enviar mi valoración',
  thanks: '¡Gracias! Hemos recibido tu valoración.',
  used: 'Este enlace ya se usó: la conversación está valorada. ¡Gracias!',
  expired: 'Este enlace ha caducado.',
  stale: 'La conversación se reabrió después de enviarte este enlace. Recibirás uno nuevo cuando se resuelva de nuevo.',
  unknown: 'Este enlace no es válido.',
  pickScore: 'Elige una puntuación del 1 al 5.',
  commentTooLong: 'El comentario es demasiado largo (como mucho 2.000 caracteres).',
};

const BY_LANGUAGE: Readonly<Record<string, RatingTexts>> = { en, es };

export function ratingTextsFor(language: string | null): RatingTexts {
  const base = (language ?? 'en').toLowerCase().split('-')[0] ?? 'en';
  return BY_LANGUAGE[base] ?? en;
}
