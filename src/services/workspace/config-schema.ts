import { configJsonSchema, type JsonSchema } from '../../config/config-json-schema.js';

/** The JSON Schema of baton.yaml (`GET /api/config/schema.json`), with `$id` the URL it is served at. */
export function describeConfigSchema(id: string): JsonSchema {
  return configJsonSchema({ id });
}
