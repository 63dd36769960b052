/** `{{ name }}`; compiled once at module load, never per decision. */
const VARIABLE = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/**
 * Replace `{{variable}}` with its value. Unknown variables, and known ones without a value
 * (no queue position when assigned), render as empty text: a customer never sees raw braces.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string | null | undefined>>): string {
  if (!template.includes('{{')) return template;
  return template.replace(VARIABLE, (_match, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    return value ?? '';
  });
}

/** Does the template use this variable? */
export function usesVariable(template: string, name: string): boolean {
  if (!template.includes('{{')) return false;
  for (const match of template.matchAll(VARIABLE)) {
    if (match[1] === name) return true;
  }
  return false;
}

/** `pt-BR` → `pt` */
export function primarySubtag(tag: string): string {
  const dash = tag.indexOf('-');
  return (dash === -1 ? tag : tag.slice(0, dash)).toLowerCase();
}

/**
 * The language key of a per-language message to use (PRODUCT.md §5: the customer's language
 * when the rule provides it): the conversation's language (exact tag, then primary subtag), else
 * the workspace language, else English, else the first given. Null when there is none.
 */
export function chooseMessageLanguage(
  available: readonly string[],
  conversationLanguage: string | null,
  workspaceLanguage: string,
): string | null {
  if (available.length === 0) return null;
  for (const wanted of [conversationLanguage, workspaceLanguage, 'en']) {
    if (wanted === null || wanted === '') continue;
    const exact = available.find((key) => key.toLowerCase() === wanted.toLowerCase());
    if (exact !== undefined) return exact;
    const primary = primarySubtag(wanted);
    const sameLanguage = available.find((key) => primarySubtag(key) === primary);
    if (sameLanguage !== undefined) return sameLanguage;
  }
  return available[0] ?? null;
}
