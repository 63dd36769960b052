/**
 * Customer text as the app and the widget show it: cut into plain text, line breaks, and links — http, https and mailto only, each
 * written out in the text itself. Nothing else is read into it: no HTML, no markdown, no other
 * scheme (`javascript:`, `data:`, `vbscript:` stay text). Concatenating the segments' text gives
 * the input back, so nothing the customer wrote is lost or added.
 *
 * Pure and dependency-free: the app renders the segments as React elements and the widget as DOM
 * nodes (textContent, createElement), neither ever as HTML.
 */
export type TextSegment =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'newline'; readonly text: string }
  | { readonly type: 'link'; readonly text: string; readonly href: string };

/** A scheme we link, then everything up to whitespace or a character that cannot be in a URL as written (control characters end a link: a browser would strip them from the href). */
// eslint-disable-next-line no-control-regex
const CANDIDATE = /(?:https?:\/\/|mailto:)[^\s<>"'`\u0000-\u001f\u007f]+|\r\n|\r|\n/giu;
/** Punctuation that ends a sentence more often than a URL: "see https://x.test/a." links /a. */
const TRAILING = /[.,;:!?)\]}*_~]+$/u;
const SAFE_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/** The link at the start of `candidate` (trailing punctuation left out), or null when none is safe. */
function linkOf(candidate: string): string | null {
  let text = candidate;
  const trailing = TRAILING.exec(text);
  if (trailing !== null) {
    text = text.slice(0, trailing.index);
    // Keep closing parentheses that balance opening ones inside: https://en.wikipedia.org/wiki/Foo_(bar)
    let open = 0;
    for (const char of text) open += char === '(' ? 1 : char === ')' ? -1 : 0;
    const rest = trailing[0];
    let kept = 0;
    while (open > 0 && kept < rest.length && rest[kept] === ')') {
      kept += 1;
      open -= 1;
    }
    text += rest.slice(0, kept);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol === 'mailto:' ? url.pathname === '' : url.hostname === '') return null;
  return text;
}

export function splitTextSegments(input: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let plain = '';
  let from = 0;
  const flush = () => {
    if (plain !== '') segments.push({ type: 'text', text: plain });
    plain = '';
  };
  for (const match of input.matchAll(CANDIDATE)) {
    const at = match.index;
    plain += input.slice(from, at);
    const found = match[0];
    from = at + found.length;
    if (found === '\n' || found === '\r\n' || found === '\r') {
      flush();
      segments.push({ type: 'newline', text: found });
      continue;
    }
    const link = linkOf(found);
    if (link === null) {
      plain += found;
      continue;
    }
    flush();
    segments.push({ type: 'link', text: link, href: link });
    plain += found.slice(link.length);
  }
  plain += input.slice(from);
  flush();
  return segments;
}
