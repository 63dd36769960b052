import { chooseMessageLanguage, renderTemplate, variablesOf } from './routing/render-template.js';

/**
 * The variables a saved reply may use: the customer-message ones that an agent's reply can fill — who the customer is, who answers, where the
 * conversation is. The waiting ones (`{{expected_wait}}`, `{{queue.position}}`) describe a
 * handoff in progress, which is over once an agent is replying.
 */
export const SAVED_REPLY_VARIABLES = ['contact.name', 'contact.email', 'agent.name', 'team.name', 'queue.name'] as const;
export type SavedReplyVariable = (typeof SAVED_REPLY_VARIABLES)[number];

const KNOWN: ReadonlySet<string> = new Set(SAVED_REPLY_VARIABLES);

/** Every `{{variable}}` of the bodies that a saved reply cannot fill, with the language it is in. */
export function findUnknownVariables(bodies: Readonly<Record<string, string>>): { language: string; variable: string }[] {
  const unknown: { language: string; variable: string }[] = [];
  for (const [language, body] of Object.entries(bodies)) {
    for (const variable of new Set(variablesOf(body))) if (!KNOWN.has(variable)) unknown.push({ language, variable });
  }
  return unknown;
}

export interface SavedReplyFacts {
  /** The conversation's language, else its contact's; null when unknown. */
  readonly language: string | null;
  readonly values: Readonly<Record<SavedReplyVariable, string | null>>;
}

/**
 * The body to insert: in the conversation's language (exact tag, then primary subtag), else the
 * reply's default language, with the variables filled (an empty value renders as nothing, as in
 * the rules' messages: never raw braces).
 */
export function renderSavedReply(
  reply: { readonly bodies: Readonly<Record<string, string>>; readonly defaultLanguage: string },
  facts: SavedReplyFacts,
): { language: string; body: string } | null {
  const language = chooseMessageLanguage(Object.keys(reply.bodies), facts.language, reply.defaultLanguage);
  if (language === null) return null;
  return { language, body: renderTemplate(reply.bodies[language] ?? '', facts.values) };
}
