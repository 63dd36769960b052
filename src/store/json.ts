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
