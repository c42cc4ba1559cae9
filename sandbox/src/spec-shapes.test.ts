// Every answer the sandbox gives on Apono's client API matches the shape Apono's own OpenAPI spec
// declares for it, checked at run time against the spec (not only by the generated types).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { sandboxApp } from './testing.js';

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

function responseSchema(path: string, method: string): object {
  const operation = spec.paths[path][method];
  const ref = operation.responses['200'].content['application/json'].schema.$ref as string;
  return { $ref: `apono${ref}` };
}

function check(path: string, method: string, body: unknown) {
  const validate = ajv.compile(responseSchema(path, method));
  const ok = validate(body);
  return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe.each(['friendly', 'internal'] as const)("the sandbox answers in Apono's shapes (%s IDs)", (mode) => {
  const { as, idOf } = sandboxApp({ requestIds: mode });
  const alex = as('alexw@example.com');

  it('session', async () => {
    const res = await alex.get('/session').expect(200);
    expect(check('/api/client/v1/session', 'get', res.body)).toEqual([]);
  });

  it('every scope of the request list, and requests in each seeded status', async () => {
    for (const scope of ['MyTasks', 'MyRequests', 'MyHistoricTasks', 'MyDelegatedRequests']) {
      const res = await alex.get(`/access-requests?scope=${scope}&limit=100`).expect(200);
      expect(check('/api/client/v1/access-requests', 'get', res.body), scope).toEqual([]);
    }
    // Pending, AllOf, escalated, many units, Revoked, Rejected, Active, Failed.
    for (const id of [
      'AR-1001',
      'AR-1013',
      'AR-1016',
      'AR-1019',
      'AR-1034',
      'AR-1035',
      'AR-1038',
      'AR-1040',
    ]) {
      const res = await alex.get(`/access-requests/${idOf(id)}`).expect(200);
      expect(check('/api/client/v1/access-requests/{id}', 'get', res.body), id).toEqual([]);
    }
  });

  it('access-group units', async () => {
    const request = (await alex.get(`/access-requests/${idOf('AR-1019')}`).expect(200)).body as {
      access_groups: Array<{ id: string }>;
    };
    const res = await alex.get(`/access-groups/${request.access_groups[0]!.id}/units?limit=100`).expect(200);
    expect(check('/api/client/v1/access-groups/{id}/units', 'get', res.body)).toEqual([]);
  });

  it('approve and reject', async () => {
    const approved = await alex
      .post(`/access-requests/${idOf('AR-1001')}/approve`, { justification: 'ok' })
      .expect(200);
    expect(check('/api/client/v1/access-requests/{id}/approve', 'post', approved.body)).toEqual([]);
    const rejected = await alex
      .post(`/access-requests/${idOf('AR-1007')}/reject`, { justification: null })
      .expect(200);
    expect(check('/api/client/v1/access-requests/{id}/reject', 'post', rejected.body)).toEqual([]);
  });

  it('the check itself catches a wrong shape', () => {
    expect(check('/api/client/v1/session', 'get', { user: { id: 1 } })).not.toEqual([]);
  });
});
