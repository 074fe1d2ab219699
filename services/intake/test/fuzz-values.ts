import type { Random } from '@county/routing';

/** Helpers of fuzz.int.test.ts: malformed values, and JSON that can carry what JSON.stringify cannot. */

/** JSON text sent as it is: `-0` (which JSON.stringify writes as 0), `1e309`, `NaN`, deep nesting. */
export class Raw {
  constructor(readonly text: string) {}
}

export type Json = null | boolean | number | string | Raw | Json[] | { [key: string]: Json };

/** JSON.stringify, except that Raw goes out verbatim and an own `__proto__` key is written like any other. */
export function serialize(value: Json): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${serialize(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Text no field takes: control characters, NUL, lone surrogates, and what is merely odd or too long. */
export const badTexts: readonly string[] = [
  '\u0000', 'ZT\u00001234', 'a\u0001b\u0007', '\u001b[31mred', 'tab\there', 'line\nbreak', 'del\u007f',
  '\uD800', 'a\uDFFFb', '\uDC00\uD800', '🍊\uD83D', '\u202Eevil', '\uFEFFbom', 'Ａ１', '\uFFFF', '', ' ',
  "' OR 1=1 --", '../../etc/passwd', '<script>alert(1)</script>', '${jndi:x}', '%00', '%s%n',
  'x'.repeat(5_000), '长'.repeat(2_000), '2026-13-45T99:99:99Z', '0000-00-00T00:00:00Z', '9999-12-31T23:59:59+99:00',
];

/** Numbers at the edges: signed zeros, huge and non-finite ones (as JSON text), and numbers as strings. */
export const badNumbers: readonly Json[] = [
  new Raw('-0'), new Raw('-0.0'), new Raw('-0e0'), new Raw('1e309'), new Raw('-1e309'), 1e308, -1e308, 5e-324,
  new Raw('1e-400'), 9_007_199_254_740_993, new Raw('123456789012345678901234567890'), -1, 0.1 + 0.2, 1.5,
  'NaN', 'Infinity', '-0', '1e309', '1',
];

const nested = (depth: number) => new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const nestedObject = (depth: number) => new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

/** Every kind of bad value a client might send in a JSON field. */
export const malformedValues: readonly Json[] = [
  // wrong types
  null, true, false, 0, 1, -1, 42.5, '', 'text', [], {}, [1, 'a', null], { a: 1 },
  Array.from({ length: 2_000 }, () => 'a'),
  ...badTexts,
  ...badNumbers,
  // deep nesting
  nested(2_000), nestedObject(500),
  // prototype keys inside a value
  new Raw('{"__proto__":{"admin":true}}'), new Raw('{"constructor":{"prototype":{"admin":true}}}'),
];

/** Whole bodies that are not the JSON object a route takes. */
export const malformedBodies: readonly string[] = [
  '', ' ', 'null', '[]', '"a string"', '123', 'true', '{', '{"a":', '{"a":1,}', "{'a':1}", 'NaN', '{"a":NaN}',
  '{"a":1e309}', '\u0000', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, '\uFEFF{}', '{"a":1}{"b":2}',
];

/** Content types a JSON route does not take, or takes in an odd spelling. */
export const contentTypes: readonly string[] = [
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml',
  'application/json; charset=latin1', 'application/JSON', 'application/json;;', '*/*', 'application/octet-stream', '',
];

/** Path parameters as they appear in the URL: bad percent-encodings, NUL, over-long, traversal. */
export const malformedPathParams: readonly string[] = [
  '%zz', '%', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%FF', '%00', 'a%00b', '%01', '%7F', '%20', '%2F', '..', '%2e%2e',
  'x'.repeat(101), 'x'.repeat(5_000), '%E9%95%BF'.repeat(40), '-0', '1e309', 'NaN', 'null', '__proto__', 'constructor',
  "'%20OR%201=1", '%3Cscript%3E', '00000000-0000-0000-0000-000000000000',
];

/** Query values, already encoded. */
export const malformedQueryValues: readonly string[] = [
  '', '%zz', '%00', 'a%00b', '%ED%A0%80', '-0', '1e309', 'NaN', 'Infinity', '-1', '0', '99999999999999999999', 'true',
  'x'.repeat(20_000), '2026-13-45', '%E9%95%BF'.repeat(100), '[]', '{}', '__proto__',
];

/** Replaces what `path` names in `value` (the whole of it for an empty path). */
export function replaceAt(value: Json, path: readonly (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? replaceAt(item, rest, replacement) : item));
  if (value !== null && typeof value === 'object' && !(value instanceof Raw)) {
    return { ...value, [head!]: replaceAt(value[head as string]!, rest, replacement) };
  }
  return value;
}

/** The places in a value whose value is of `type` (`typeof`), as paths. */
export function leavesOf(value: Json, type: 'string' | 'number'): (string | number)[][] {
  return pathsOf(value).filter((path) => typeof path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], value) === type);
}

/** Every place in a value, containers included, as paths. */
export function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (value !== null && typeof value === 'object' && !(value instanceof Raw)) {
    return [...here, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  }
  return here;
}

/** The object with one more own key, `__proto__` included (an object literal would set the prototype). */
export function withKey(value: Json, key: string, item: Json): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Raw) return value;
  const copy = { ...value };
  Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A JSON Schema as the OpenAPI document gives it, for the routes no example covers. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: Json[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: Json;
}

/** A plain value of the schema's shape: required properties, first enum member, first alternative. */
export function sampleOf(schema: JsonSchema | undefined): Json {
  if (!schema) return null;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0] ?? null;
  const alternative = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (alternative) return sampleOf(alternative);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((key) => [key, sampleOf(schema.properties?.[key])]));
    case 'array':
      return [sampleOf(schema.items)];
    case 'string':
      return 'x';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      return null;
  }
}
