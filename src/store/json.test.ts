import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isJsonExact, toJson } from './json.js';

describe('isJsonExact', () => {
  it('says yes to plain objects and arrays of strings, finite numbers, booleans and null', () => {
    expect(isJsonExact({ trace: { rule: 'vip', candidates: [{ id: 'ana', score: 1.5, eligible: true }], note: null }, empty: {}, none: [] })).toBe(true);
    expect(isJsonExact('text')).toBe(true);
    expect(isJsonExact(0)).toBe(true);
  });

  it('says no to what JSON changes on the way back', () => {
    expect(isJsonExact({ note: undefined })).toBe(false);
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    expect(isJsonExact([1, , 3])).toBe(false);
    expect(isJsonExact([1, undefined])).toBe(false);
    expect(isJsonExact({ n: Number.NaN })).toBe(false);
    expect(isJsonExact({ n: Number.POSITIVE_INFINITY })).toBe(false);
    expect(isJsonExact({ n: -0 })).toBe(false);
    expect(isJsonExact({ at: new Date(0) })).toBe(false);
    expect(isJsonExact({ f: () => 1 })).toBe(false);
    expect(isJsonExact(Object.assign(Object.create(null) as object, { a: 1 }))).toBe(false);
    expect(isJsonExact(new (class Point { x = 1 })())).toBe(false);
    expect(isJsonExact(Object.assign([1, 2], { extra: true }))).toBe(false);
    expect(isJsonExact(new Map())).toBe(false);
  });

  it('says yes only when parsing the JSON gives an equal value back', () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withObjectString: true }), (value) => {
        const json = toJson(value);
        if (isJsonExact(value)) expect(JSON.parse(json)).toStrictEqual(value);
      }),
    );
    // And yes to every value that came back from its own JSON: nothing is refused needlessly.
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(isJsonExact(JSON.parse(toJson(value)))).toBe(true);
      }),
    );
  });
});
