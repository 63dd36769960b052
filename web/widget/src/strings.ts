/**
 * The widget's own words, per language (the contact's: `data-lang`, else the page's `<html
 * lang>`). What the team writes (handoff confirmations, out-of-hours notices) comes from the
 * server already in the customer's language; these are only the controls and status lines.
 */
export interface Strings {
  title: string;
  open: string;
  close: string;
  input: string;
  placeholder: string;
  send: string;
  human: string;
  welcome: string;
  assistant: string;
  team: string;
  you: string;
  connecting: string;
  position(n: number): string;
  waitFor(wait: string): string;
  lessThanAMinute: string;
  minutes(n: number): string;
  hours(n: number): string;
  backAt(when: string): string;
  chattingWith(name: string): string;
  typing(name: string): string;
  someone: string;
  resolved: string;
  rate: string;
  rateN(n: number): string;
  thanks: string;
  reconnecting: string;
  notSent: string;
  unread: string;
}

const en: Strings = {
  title: 'Chat with us',
  open: 'Open chat',
  close: 'Close chat',
  input: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  human: 'Talk to a person',
  welcome: 'Hi! Ask us anything. Our AI assistant answers first, and a person is one click away.',
  assistant: 'AI assistant',
  team: 'Support',
  you: 'You',
  connecting: 'Connecting you to a person…',
  position: (n) => (n === 1 ? 'You are next in line' : `You are number ${n} in line`),
  waitFor: (wait) => `expected wait ${wait}`,
  lessThanAMinute: 'less than a minute',
  minutes: (n) => `about ${n} min`,
  hours: (n) => `about ${n} h`,
  backAt: (when) => `The team is back ${when}.`,
  chattingWith: (name) => `You are chatting with ${name}`,
  typing: (name) => `${name} is typing…`,
  someone: 'Someone',
  resolved: 'This conversation is resolved. Write again any time.',
  rate: 'How did we do?',
  rateN: (n) => `Rate ${n} out of 5`,
  thanks: 'Thank you for your rating!',
  reconnecting: 'Connection lost. Reconnecting…',
  notSent: 'Not sent. Check your connection and try again.',
  unread: 'new message',
};

const es: Strings = {
  title: 'Chatea con nosotros',
  open: 'Abrir el chat',
  close: 'Cerrar el chat',
  input: 'Mensaje',
  placeholder: 'Escribe un mensaje…',
  send: 'Enviar',
  human: 'Hablar con una persona',
  welcome: '¡Hola! Pregúntanos lo que quieras. Nuestro asistente de IA responde primero y una persona está a un clic.',
  assistant: 'Asistente de IA',
  team: 'Soporte',
  you: 'Tú',
  connecting: 'Te estamos conectando con una persona…',
  position: (n) => (n === 1 ? 'Eres el siguiente en la cola' : `Eres el número ${n} en la cola`),
  waitFor: (wait) => `espera estimada: ${wait}`,
  lessThanAMinute: 'menos de un minuto',
  minutes: (n) => `unos ${n} min`,
  hours: (n) => `unas ${n} h`,
  backAt: (when) => `El equipo vuelve ${when}.`,
  chattingWith: (name) => `Estás hablando con ${name}`,
  typing: (name) => `${name} está escribiendo…`,
  someone: 'Alguien',
  resolved: 'Esta conversación está resuelta. Escríbenos cuando quieras.',
  rate: '¿Qué tal te hemos atendido?',
  rateN: (n) => `Valorar con ${n} de 5`,
  thanks: '¡Gracias por tu valoración!',
  reconnecting: 'Conexión perdida. Reconectando…',
  notSent: 'No se ha enviado. Revisa tu conexión e inténtalo de nuevo.',
  unread: 'mensaje nuevo',
};

const byLanguage: Record<string, Strings> = { en, es };

/** `es-MX` → Spanish; an unknown language → English. */
export function stringsFor(language: string): Strings {
  return byLanguage[language.split('-')[0]?.toLowerCase() ?? 'en'] ?? en;
}

/** "about 4 min" from seconds. */
export function formatWait(seconds: number, s: Strings): string {
  if (seconds < 60) return s.lessThanAMinute;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? s.minutes(minutes) : s.hours(Math.round(minutes / 60));
}

/** `es_ES`, `EN-us` → `es-ES`, `en-us`; anything that is not a language tag → null. */
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
export function normaliseLanguage(value: string | null | undefined): string | null {
  const tag = value?.trim().replace(/_/g, '-') ?? '';
  const [primary, ...rest] = tag.split('-');
  const normal = [primary?.toLowerCase() ?? '', ...rest].join('-');
  return LANGUAGE_TAG.test(normal) ? normal : null;
}
