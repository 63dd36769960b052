/** `{{ name }}`; compiled once at module load, never per decision. */
const VARIABLE = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/**
 * A template cut at its variables: `literals[0] names[0] literals[1] … literals[n]`. Every
 * handoff renders one of a few templates (the built-in sentences, the rules' messages), and a
 * regular-expression replace with a callback per variable, plus `matchAll` for `usesVariable`,
 * was a visible share of a routing decision (bench/results/routing-profile.md): each is cut once.
 */
interface CutTemplate {
  readonly literals: readonly string[];
  readonly names: readonly string[];
}
const cutTemplates = new Map<string, CutTemplate>();
/** Templates come from configuration and a handful of sentences: bound the memo all the same. */
const MAX_CUT_TEMPLATES = 1_024;

function cut(template: string): CutTemplate {
  let known = cutTemplates.get(template);
  if (known === undefined) {
    const literals: string[] = [];
    const names: string[] = [];
    let from = 0;
    for (const match of template.matchAll(VARIABLE)) {
      literals.push(template.slice(from, match.index));
      names.push(match[1] ?? '');
      from = match.index + match[0].length;
    }
    literals.push(template.slice(from));
    known = { literals, names };
    if (cutTemplates.size >= MAX_CUT_TEMPLATES) cutTemplates.clear();
    cutTemplates.set(template, known);
  }
  return known;
}

/**
 * Replace `{{variable}}` with its value. Unknown variables, and known ones without a value
 * (no queue position when assigned), render as empty text: a customer never sees raw braces.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string | null | undefined>>): string {
  if (!template.includes('{{')) return template;
  const { literals, names } = cut(template);
  let text = literals[0]!;
  for (let index = 0; index < names.length; index += 1) {
    const name = names[index]!;
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    text += (value ?? '') + literals[index + 1]!;
  }
  return text;
}

/** Does the template use this variable? */
export function usesVariable(template: string, name: string): boolean {
  if (!template.includes('{{')) return false;
  return cut(template).names.includes(name);
}

/** The variables a template uses, in order, repeats kept. */
export function variablesOf(template: string): readonly string[] {
  if (!template.includes('{{')) return [];
  return cut(template).names;
}

/** `pt-BR` → `pt` */
export function primarySubtag(tag: string): string {
  const dash = tag.indexOf('-');
  return (dash === -1 ? tag : tag.slice(0, dash)).toLowerCase();
}

/**
 * The language key of a per-language message to use: the conversation's language (exact tag, then primary subtag), else
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
