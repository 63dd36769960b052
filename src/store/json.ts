/**
 * JSON columns are `text` on both dialects. Values written by Baton are trusted on the way
 * back (they were validated at the boundary before being stored); documents that outlive a
 * release — the workspace and rulesets — are re-parsed by their owners (src/config).
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJson<T>(text: string | null): T | null {
  if (text === null) return null;
  return JSON.parse(text) as T;
}

export function fromJsonOr<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  return JSON.parse(text) as T;
}

export const toIntBool = (value: boolean): number => (value ? 1 : 0);
export const fromIntBool = (value: number): boolean => value !== 0;

/**
 * Whether `JSON.parse(toJson(value))` gives back `value` itself: the same keys with the same values
 * — plain objects and arrays of strings, finite numbers, booleans and null. Not for what JSON
 * changes on the way: a key whose value is undefined (dropped), a hole or undefined in an array
 * (null), NaN and ±Infinity (null), -0 (0), a Date or anything else with a prototype of its own
 * (its toJSON or its plain own keys), a function. A walk over the values, in place of the parse.
 */
export function isJsonExact(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype || Object.keys(value).length !== value.length) return false;
        for (const item of value) if (!isJsonExact(item)) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) {
        if (!Object.hasOwn(value, key) || !isJsonExact((value as Record<string, unknown>)[key])) return false;
      }
      return true;
    }
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      return false;
  }
}
