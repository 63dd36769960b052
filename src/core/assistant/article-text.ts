/**
 * A knowledge article's body as the customer reads it: paragraphs. Bodies are written in YAML
 * block scalars (`body: |`), which keep the author's line breaks where the editor wrapped the
 * line; sent as they are, a chat bubble or an email breaks mid-sentence. A blank line separates
 * paragraphs; a single line break inside a paragraph is a space — except before a list item
 * ("- ", "* ", "1. "), which keeps its own line.
 */
const PARAGRAPH_BREAK = /\n[ \t]*(?:\n[ \t]*)+/;
const LINE_BREAK = /[ \t]*\n[ \t]*(?![-*•] |\d+[.)] )/g;
const LIST_ITEM_BREAK = /[ \t]*\n[ \t]*/g;

export function articleText(body: string): string {
  return body
    .replace(/\r\n?/g, '\n')
    .split(PARAGRAPH_BREAK)
    .map((paragraph) => paragraph.trim().replace(LINE_BREAK, ' ').replace(LIST_ITEM_BREAK, '\n'))
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}
