import { RE2JS } from 're2js';
import { z } from 'zod';

/**
 * Rule conditions.
 *
 *   { all: [...] } | { any: [...] } | { not: {...} }
 *   { <field>: { <operator>: value, ... } }      several operators on one field must all hold
 *   { businessHours: { open: <schedule> } }       or { closed: <schedule> }
 */
export const OPERATORS = ['eq', 'neq', 'in', 'nin', 'contains', 'matches', 'exists', 'gt', 'gte', 'lt', 'lte'] as const;
export type Operator = (typeof OPERATORS)[number];

export const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof Scalar>;

/** Fields a condition may read; `contact.<x>` and `conversation.<x>` take any property name. */
export const PLAIN_FIELDS = [
  'channel',
  'priority',
  'tags',
  'language',
  'intent',
  'trigger',
  'message.text',
  'time',
  'weekday',
  'businessHours',
] as const;

export const PROPERTY_FIELD = /^(contact|conversation)\.[A-Za-z_][A-Za-z0-9_]*$/;

export function isKnownField(field: string): boolean {
  return (PLAIN_FIELDS as readonly string[]).includes(field) || PROPERTY_FIELD.test(field);
}

/** The longest `matches` pattern a rule may hold. */
export const MAX_PATTERN_LENGTH = 1_000;

/**
 * A rule's `matches` as a case-insensitive RE2 pattern: matching takes time linear in the text
 * whatever the pattern (a backtracking engine took seconds per message on `^(a+)+$`), and
 * constructs that need backtracking (backreferences, lookaround) are refused here, when the rule
 * is saved. RE2JS: a maintained JavaScript port of RE2, so nothing native to build.
 */
export function compileMatches(source: string): RE2JS {
  if (source.length > MAX_PATTERN_LENGTH) throw new Error(`error parsing regexp: longer than ${MAX_PATTERN_LENGTH} characters`);
  return RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
}

/** Why a pattern was refused, in words an admin can act on. */
export function explainPatternError(error: unknown): string {
  const reason = (error instanceof Error ? error.message : String(error)).replace(/^error parsing regexp: /, '');
  return `invalid regular expression: ${reason} (rules use RE2 syntax, which runs in linear time: no backreferences or lookaround)`;
}

export const OperatorSpec = z
  .strictObject({
    eq: Scalar.optional(),
    neq: Scalar.optional(),
    in: z.array(Scalar).optional(),
    nin: z.array(Scalar).optional(),
    contains: Scalar.optional(),
    matches: z.string().optional(),
    exists: z.boolean().optional(),
    gt: z.union([z.number(), z.string()]).optional(),
    gte: z.union([z.number(), z.string()]).optional(),
    lt: z.union([z.number(), z.string()]).optional(),
    lte: z.union([z.number(), z.string()]).optional(),
  })
  .superRefine((spec, ctx) => {
    if (Object.keys(spec).length === 0) {
      ctx.addIssue({ code: 'custom', message: `needs an operator: one of ${OPERATORS.join(', ')}` });
    }
    if (spec.matches !== undefined) {
      try {
        compileMatches(spec.matches);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          path: ['matches'],
          message: explainPatternError(error),
        });
      }
    }
  });
export type OperatorSpec = z.infer<typeof OperatorSpec>;

export const BusinessHoursSpec = z.union([
  z.strictObject({ open: z.string() }),
  z.strictObject({ closed: z.string() }),
]);
export type BusinessHoursSpec = z.infer<typeof BusinessHoursSpec>;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { businessHours: BusinessHoursSpec }
  | { [field: string]: OperatorSpec };

const COMBINATORS: ReadonlySet<string> = new Set(['all', 'any', 'not']);

const FieldCondition = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: `a condition names exactly one field, or is one of all/any/not (found ${keys.length === 0 ? 'none' : keys.join(', ')})`,
    });
    return;
  }
  const field = keys[0]!;
  if (!isKnownField(field)) {
    ctx.addIssue({
      code: 'custom',
      path: [field],
      message: `unknown field "${field}": use ${PLAIN_FIELDS.join(', ')}, contact.<property> or conversation.<property>`,
      // For all/any/not the combinator branch holds the real problem. A non-aborting issue here
      // would make this the union's only non-aborted branch, so zod would report "unknown field
      // all" instead of the nested mistake.
      continue: !COMBINATORS.has(field),
    });
    return;
  }
  const schema = field === 'businessHours' ? BusinessHoursSpec : OperatorSpec;
  const parsed = schema.safeParse(value[field]);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', path: [field, ...issue.path], message: issue.message });
    }
  }
});

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(Condition).min(1) }),
    z.strictObject({ any: z.array(Condition).min(1) }),
    z.strictObject({ not: Condition }),
    FieldCondition,
  ]),
) as z.ZodType<Condition>;
// Named, so the JSON Schema of baton.yaml (and OpenAPI) carry one `Condition` definition.
z.globalRegistry.add(Condition, {
  id: 'Condition',
  description: 'all / any / not of conditions, or one field with operators (docs/configuration.md, "Conditions").',
});
