import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { BusinessHoursSpec, OperatorSpec, PLAIN_FIELDS, PROPERTY_FIELD } from '../contract/conditions.js';
import { WorkspaceConfig } from '../contract/config.js';

export type JsonSchema = Record<string, unknown>;

export interface JsonSchemaOptions {
  /** Where the schema is served, e.g. `https://baton.example.com/api/config/schema.json`. */
  readonly id?: string;
}

const DEFAULT_ID = 'urn:baton:workspace-config';

/**
 * JSON Schema (draft 2020-12) of `baton.yaml` as people write it (defaults optional), for
 * editors: served at `/api/config/schema.json`. Generated from the same zod schema that
 * validates the file. What zod cannot express is filled in by hand: a condition on a field is
 * checked in code (`FieldCondition` in contract/conditions.ts), so here it is spelled out as
 * "exactly one known field, holding operators". References between objects (a queue's team
 * must exist) are beyond JSON Schema; `baton apply --dry-run` and `PUT /api/config` report them.
 */
export function configJsonSchema(options: JsonSchemaOptions = {}): JsonSchema {
  const generated = z.toJSONSchema(WorkspaceConfig, {
    target: 'draft-2020-12',
    io: 'input',
    // Refinements (time zones, regular expressions) cannot be expressed; their base types stand.
    unrepresentable: 'any',
  }) as JsonSchema;

  const defs = (generated.$defs ?? {}) as Record<string, JsonSchema>;
  defs.OperatorSpec = { ...stripDialect(z.toJSONSchema(OperatorSpec, { target: 'draft-2020-12', io: 'input' })), minProperties: 1 };
  defs.BusinessHoursSpec = stripDialect(z.toJSONSchema(BusinessHoursSpec, { target: 'draft-2020-12', io: 'input' }));
  const condition = defs.Condition;
  const branches = condition?.anyOf;
  if (!Array.isArray(branches)) throw new Error('configJsonSchema: the Condition schema changed shape');
  const fieldBranch = branches.findIndex((branch) =>
    isDeepStrictEqual(branch, { type: 'object', propertyNames: { type: 'string' }, additionalProperties: {} }),
  );
  if (fieldBranch === -1) throw new Error('configJsonSchema: the field condition branch was not found');
  branches[fieldBranch] = {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    propertyNames: { anyOf: [{ enum: [...PLAIN_FIELDS] }, { pattern: PROPERTY_FIELD.source }] },
    properties: { businessHours: { $ref: '#/$defs/BusinessHoursSpec' } },
    additionalProperties: { $ref: '#/$defs/OperatorSpec' },
  };

  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: options.id ?? DEFAULT_ID,
    title: 'Baton workspace (baton.yaml)',
    description:
      'The whole help desk workspace as one document: schedules, users, teams, queues, channels, knowledge, assistant, handoff rules and notifications. Credentials and endpoints (SMTP, Slack, webhook and bot URLs and secrets, the LLM key and URL) may use ${VAR} or ${VAR:-default} to read the environment; other text is kept as written.',
    ...rest,
    $defs: defs,
  };
}

function stripDialect(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
