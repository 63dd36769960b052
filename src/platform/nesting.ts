/**
 * Request bodies and documents are trees of bounded depth. A value nested deeper than this, or a
 * YAML document whose alias sits inside its own anchor (a cycle), would overflow the stack of
 * whatever walks it next (schema validation, interpolation) and answer 500; it is refused first,
 * with a message a person can act on. Baton's own documents nest about a dozen levels.
 */
export const MAX_NESTING = 64;

/**
 * What is wrong with the shape of `value`, or null: too deep, or cyclic. Walks with an explicit
 * stack, so the check itself cannot overflow, and visits each container once per path.
 */
export function nestingProblem(value: unknown, maxDepth: number = MAX_NESTING): { path: string; message: string } | null {
  if (!isContainer(value)) return null;
  const onPath = new Set<object>();
  // Each frame: the container, the path to it, its depth, and the children still to visit.
  const stack: Array<{ node: object; path: string; depth: number; children: Array<[string, unknown]> }> = [];
  const enter = (node: object, path: string, depth: number): { path: string; message: string } | null => {
    if (onPath.has(node)) return { path: path || '(root)', message: 'refers to itself (a YAML alias inside its own anchor)' };
    if (depth > maxDepth) return { path: path || '(root)', message: `nested deeper than ${maxDepth} levels` };
    onPath.add(node);
    const children: Array<[string, unknown]> = Array.isArray(node)
      ? node.map((item, index): [string, unknown] => [`${path}[${index}]`, item])
      : Object.entries(node).map(([key, item]): [string, unknown] => [path === '' ? key : `${path}.${key}`, item]);
    stack.push({ node, path, depth, children: children.reverse() });
    return null;
  };
  const first = enter(value, '', 1);
  if (first) return first;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const next = top.children.pop();
    if (next === undefined) {
      onPath.delete(top.node);
      stack.pop();
      continue;
    }
    const [path, child] = next;
    if (isContainer(child)) {
      const problem = enter(child, path, top.depth + 1);
      if (problem) return problem;
    }
  }
  return null;
}

/**
 * A parser's own message, with its stack overflow (the YAML parser recurses per level and reports
 * "Maximum call stack size exceeded" as a syntax error) said the way people can act on it.
 */
export function explainParserMessage(message: string): string {
  return /maximum call stack/i.test(message) ? `nested deeper than ${MAX_NESTING} levels` : message;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
