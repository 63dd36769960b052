/**
 * A bound on how deeply a YAML text nests, read in one pass over its characters before any YAML
 * parser sees it. The parser recurses (and its lexer slows) per level: ten thousand nested
 * brackets take it seconds, and near the stack's end V8 has been seen to abort the whole
 * process while compiling a regular expression. So the text is measured first, cheaply.
 *
 * The measure counts, on each line, the block levels opened by indentation, the compact
 * indicators (`- - x`, `? x`) and the open flow collections (`[`, `{`). Quoted scalars, block
 * scalars (`|`, `>`) and comments are skipped as the parser would skip them, and a bracket
 * inside a plain scalar outside flow context is not an indicator, so text written in a message
 * or an article cannot trip it. It may count a little more than the value's real depth (a
 * continued plain scalar's deeper line), never much less.
 */
export function yamlNestingExceeds(text: string, limit: number): boolean {
  const indents: number[] = [];
  let flow = 0;
  let i = 0;
  const n = text.length;

  const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';
  const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r';
  const isBlankOrEnd = (c: string | undefined): boolean => c === undefined || isSpace(c) || isBreak(c);
  const skipToLineEnd = (): void => {
    while (i < n && !isBreak(text[i])) i++;
  };
  const skipDoubleQuoted = (): void => {
    i++;
    while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipSingleQuoted = (): void => {
    i++;
    while (i < n) {
      if (text[i] === "'") {
        if (text[i + 1] === "'") i += 2;
        else break;
      } else i++;
    }
    i++;
  };
  /** Inside `[` / `{` until the matching close: true when the limit is passed. */
  const scanFlow = (depthOutside: number): boolean => {
    let tokenStart = true;
    while (i < n) {
      const c = text[i]!;
      if (c === '[' || c === '{') {
        flow++;
        if (depthOutside + flow > limit) return true;
        i++;
        tokenStart = true;
      } else if (c === ']' || c === '}') {
        flow--;
        i++;
        tokenStart = false;
        if (flow === 0) return false;
      } else if (c === ',' || c === ':' || isSpace(c) || isBreak(c)) {
        i++;
        tokenStart = true;
      } else if (c === '#' && tokenStart) {
        skipToLineEnd();
      } else if (c === '"' && tokenStart) {
        skipDoubleQuoted();
        tokenStart = false;
      } else if (c === "'" && tokenStart) {
        skipSingleQuoted();
        tokenStart = false;
      } else {
        i++;
        tokenStart = false;
      }
    }
    return false;
  };

  while (i < n) {
    // A line in block context: its indentation first.
    let indent = 0;
    while (i < n && text[i] === ' ') {
      i++;
      indent++;
    }
    while (i < n && isSpace(text[i])) i++;
    if (i >= n) break;
    if (isBreak(text[i])) {
      i++;
      continue;
    }
    if (text[i] === '#') {
      skipToLineEnd();
      continue;
    }
    if (text[i] === '%' && indent === 0) {
      skipToLineEnd();
      continue;
    }
    while (indents.length > 0 && indents[indents.length - 1]! > indent) indents.pop();
    if (indents.length === 0 || indents[indents.length - 1]! < indent) indents.push(indent);
    if (indents.length > limit) return true;
    let compact = 0;
    if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && isBlankOrEnd(text[i + 3])) i += 3;

    // Then its tokens, up to the end of the line (a quoted or flow value may run past it).
    let valueStart = true;
    while (i < n && !isBreak(text[i])) {
      const c = text[i]!;
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (c === '#') {
        skipToLineEnd();
        break;
      }
      if (valueStart && (c === '-' || c === '?' || c === ':') && isBlankOrEnd(text[i + 1])) {
        if (c !== ':') compact++;
        if (indents.length + compact > limit) return true;
        i++;
        continue;
      }
      if (valueStart && (c === '&' || c === '!')) {
        while (i < n && !isBlankOrEnd(text[i])) i++;
        continue;
      }
      if (valueStart && (c === '[' || c === '{')) {
        if (scanFlow(indents.length + compact)) return true;
        valueStart = false;
        continue;
      }
      if (valueStart && c === '"') {
        skipDoubleQuoted();
        valueStart = false;
        continue;
      }
      if (valueStart && c === "'") {
        skipSingleQuoted();
        valueStart = false;
        continue;
      }
      if (valueStart && (c === '|' || c === '>')) {
        // A block scalar: every following line more indented than this one (or blank) is text.
        skipToLineEnd();
        for (;;) {
          let j = i;
          if (j < n && text[j] === '\r') j++;
          if (j < n && text[j] === '\n') j++;
          let k = j;
          while (k < n && text[k] === ' ') k++;
          if (k >= n) {
            i = n;
            break;
          }
          if (!isBreak(text[k]) && k - j <= indent) break;
          i = k;
          skipToLineEnd();
        }
        break;
      }
      // A plain scalar: up to `: ` (it was a key; a value follows), ` #`, or the end of the line.
      valueStart = false;
      while (i < n && !isBreak(text[i])) {
        if (text[i] === ':' && isBlankOrEnd(text[i + 1])) {
          i++;
          valueStart = true;
          break;
        }
        if (text[i] === '#' && isSpace(text[i - 1])) break;
        i++;
      }
    }
  }
  return false;
}
