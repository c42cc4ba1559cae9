// Checks a JSON answer against the schema Apono's client OpenAPI spec declares for that operation, at
// run time (not only through the generated types). Used by the sandbox's shape tests and the contract
// fixtures (tests/contract), so neither can drift from what Apono publishes. Test support only.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';

const spec = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../domain/apono/client-openapi.json'), 'utf8'),
);

/** OpenAPI 3.0's `nullable: true` allows null for the whole schema, `allOf` included; say so in JSON Schema. */
function nullableToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, nullableToJsonSchema(v)]));
  return nullable === true ? { anyOf: [{ type: 'null' }, converted] } : converted;
}

// OpenAPI 3.0 schemas are JSON Schema plus `nullable`, `example` and a few formats.
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addKeyword({ keyword: 'example' });
for (const format of ['int32', 'int64', 'double', 'float', 'date-time', 'uuid', 'uri'])
  ajv.addFormat(format, true);
ajv.addSchema({ $id: 'apono', components: nullableToJsonSchema(spec.components) }, 'apono');

/** The spec's 200 response schema for one operation, e.g. ('/api/client/v1/session', 'get'). */
function responseSchema(path: string, method: string): object {
  const operation = spec.paths[path]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in Apono's client API spec`);
  const ref = operation.responses['200'].content['application/json'].schema.$ref as string;
  return { $ref: `apono${ref}` };
}

/** Every way `body` breaks the spec's answer for that operation; empty when it fits. */
export function specErrors(path: string, method: string, body: unknown): string[] {
  const validate = ajv.compile(responseSchema(path, method));
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
