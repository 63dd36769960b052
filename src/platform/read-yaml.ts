import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { MAX_NESTING, explainParserMessage } from './nesting.js';
import { yamlNestingExceeds } from './yaml-depth.js';

/** At most this many aliases are expanded: a "billion laughs" document expands to nothing. */
export const MAX_YAML_ALIASES = 100;

/** A problem with a YAML text: where it is (when the text shows it) and what is wrong. */
export interface YamlProblem {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  /** Set for problems of the whole text (too deep, too many aliases, a cycle); absent for syntax. */
  readonly path?: '(root)';
}

export type ReadYamlResult =
  | { readonly ok: true; readonly value: unknown; readonly doc: Document.Parsed; readonly lineCounter: LineCounter }
  | { readonly ok: false; readonly problems: readonly YamlProblem[]; readonly doc?: Document.Parsed; readonly lineCounter: LineCounter };

/**
 * Reads a YAML (or JSON, which is YAML too) text the way every document Baton takes is read:
 * duplicate keys refused, at most {@link MAX_YAML_ALIASES} aliases, no alias inside its own
 * anchor. The parser recurses per level, so a text of tens of thousands of nested brackets
 * overflows it; that is reported as a problem, never thrown. The value's depth is the caller's
 * to check (`nestingProblem`), on the value it goes on to walk.
 */
export function readYaml(text: string): ReadYamlResult {
  const lineCounter = new LineCounter();
  // Measured before parsing: the parser's time and stack grow with depth (see yaml-depth.ts).
  // The bound is loose on purpose; the value's exact depth is checked after, by the caller.
  if (yamlNestingExceeds(text, 2 * MAX_NESTING)) {
    return { ok: false, problems: [{ path: '(root)', message: `nested deeper than ${MAX_NESTING} levels` }], lineCounter };
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { ok: false, problems: [{ path: '(root)', message: `nested deeper than ${MAX_NESTING} levels` }], lineCounter };
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      doc,
      lineCounter,
      problems: doc.errors.map((error) => ({ message: explainParserMessage(error.message), ...positionOf(lineCounter, error.pos[0]) })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // Too many aliases, or an alias inside its own anchor.
    return { ok: false, doc, lineCounter, problems: [{ path: '(root)', message: error instanceof Error ? error.message : String(error) }] };
  }
  return { ok: true, value, doc, lineCounter };
}

/** Line and column (1-based) of an offset into the text, when there is one. */
export function positionOf(lineCounter: LineCounter, offset: number | undefined): { line?: number; column?: number } {
  if (offset === undefined) return {};
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
