import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, LineCounter } from 'yaml';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * Where a problem's path (`handoff.rules[2].then.destination.queue`) is in the source text: the
 * key or item it names, or the nearest enclosing one when it names something missing. Keys may
 * themselves contain dots (`contact.plan`), so each step takes the longest key that fits.
 */
export function locatePath(doc: Document, lineCounter: LineCounter, path: string): SourcePosition | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  let rest = path === '(root)' ? '' : path;
  while (rest !== '') {
    if (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      const index = Number(rest.slice(1, close));
      if (close === -1 || !isSeq(node)) break;
      const item: unknown = node.items[index];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(item) ?? offset;
      rest = rest.slice(close + 1).replace(/^\./, '');
      continue;
    }
    if (!isMap(node)) break;
    let best: { key: string; keyNode: unknown; value: unknown } | undefined;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const fits = rest === key || rest.startsWith(`${key}.`) || rest.startsWith(`${key}[`);
      if (fits && (best === undefined || key.length > best.key.length)) best = { key, keyNode: pair.key, value: pair.value };
    }
    if (best === undefined) break;
    node = best.value;
    offset = rangeStart(best.keyNode) ?? offset;
    rest = rest.slice(best.key.length).replace(/^\./, '');
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}
