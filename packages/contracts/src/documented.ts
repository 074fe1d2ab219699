import { z } from 'zod';

type JsonObject = Record<string, unknown>;

/** The JSON Schema of what `schema` accepts, as a fragment to embed (no `$schema`). */
export function inputJsonSchema(schema: z.ZodType): JsonObject {
  const { $schema: _dialect, ...fragment } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  return fragment;
}

/**
 * `placeholder` validating as it does, documented as `schema`: zod copies a schema's metadata into
 * the JSON Schema it generates (the contracts' documents and the OpenAPI document alike), so the
 * items of a batch, accepted one by one, are published with their full schema. The fragment is
 * JSON Schema 2020-12, the dialect of the generated schemas and of OpenAPI 3.1.
 */
export function documentedAs<T extends z.ZodType>(placeholder: T, schema: z.ZodType, extra: JsonObject = {}): T {
  return placeholder.meta({ ...inputJsonSchema(schema), ...extra });
}
