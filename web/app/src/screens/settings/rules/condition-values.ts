/**
 * The text a person types for a condition's value, and back. `in`/`nin` take a comma-separated
 * list; numbers, `true`, `false` and `null` are read as such (contact properties are typed), so
 * `5` compares as a number; everything else is text. `matches` is a regular expression as typed.
 */
import type { Operator, OperatorSpec, Scalar } from '../../../../../../src/contract/conditions.js';

export type { Operator, Scalar };

export function parseScalar(text: string): Scalar {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  return t;
}

export function formatScalar(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined ? '' : JSON.stringify(value);
}

export function parseList(text: string): Scalar[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(parseScalar);
}

/** The value an operator takes, from the text in its box. */
export function parseOperand(operator: Operator, text: string): OperatorSpec[Operator] {
  switch (operator) {
    case 'in':
    case 'nin':
      return parseList(text);
    case 'exists':
      return text !== 'false';
    case 'matches':
      return text;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const t = text.trim();
      return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
    }
    case 'eq':
    case 'neq':
    case 'contains':
      return parseScalar(text);
  }
}

/** The text for an operator's value in its box. */
export function formatOperand(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatScalar).join(', ');
  return formatScalar(value);
}

/** The value a newly chosen operator starts with, keeping what can be kept of the previous one. */
export function convertOperand(operator: Operator, previous: unknown): OperatorSpec[Operator] {
  if (operator === 'exists') return true;
  const text = Array.isArray(previous)
    ? formatOperand(previous)
    : typeof previous === 'boolean' && operator !== 'eq' && operator !== 'neq'
      ? ''
      : formatOperand(previous);
  return parseOperand(operator, text);
}
