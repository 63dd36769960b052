import { describe, expect, it } from 'vitest';
import { OperatorSpec } from '../../../../../../src/contract/conditions.js';
import { convertOperand, formatOperand, parseList, parseOperand, parseScalar } from './condition-values.js';
import { OPERATORS } from './options.js';

describe('condition values as typed', () => {
  it('reads numbers, true, false and null as such and the rest as text', () => {
    expect(parseScalar(' 5 ')).toBe(5);
    expect(parseScalar('-2.5')).toBe(-2.5);
    expect(parseScalar('true')).toBe(true);
    expect(parseScalar('null')).toBeNull();
    expect(parseScalar('enterprise')).toBe('enterprise');
    expect(parseScalar('09:30')).toBe('09:30');
  });

  it('reads a comma-separated list for in and nin', () => {
    expect(parseList('web-chat, email ,, 3')).toEqual(['web-chat', 'email', 3]);
    expect(parseOperand('in', 'es, pt')).toEqual(['es', 'pt']);
    expect(formatOperand(['es', 3, true])).toBe('es, 3, true');
  });

  it('keeps a pattern as typed and reads exists as yes or no', () => {
    expect(parseOperand('matches', ' refund|money ')).toBe(' refund|money ');
    expect(parseOperand('exists', 'false')).toBe(false);
    expect(parseOperand('exists', 'true')).toBe(true);
    expect(parseOperand('gte', '10')).toBe(10);
    expect(parseOperand('lt', '18:00')).toBe('18:00');
  });

  it('turns a value into what a newly chosen operator takes', () => {
    expect(convertOperand('in', 'es')).toEqual(['es']);
    expect(convertOperand('eq', ['es', 'pt'])).toBe('es, pt');
    expect(convertOperand('exists', 'es')).toBe(true);
    expect(convertOperand('contains', true)).toBe('');
  });

  it('every operator with a converted value passes the schema', () => {
    for (const op of OPERATORS) {
      const spec = { [op]: convertOperand(op, 'es') };
      expect(OperatorSpec.safeParse(spec).success, op).toBe(true);
    }
  });
});
