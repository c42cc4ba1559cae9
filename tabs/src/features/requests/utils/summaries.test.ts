import { describe, expect, it } from 'vitest';
import { permissionNames, resourceLines } from './summaries.js';
import { pendingRequest } from './test-requests.js';

describe('what a request card lists', () => {
  const request = pendingRequest({
    id: 'AR-5',
    accessUnits: ['READ_ONLY', 'READ_WRITE'].flatMap((permission) =>
      ['orders', 'payments'].map((resource) => ({
        resource,
        resourcePath: null,
        resourceType: 'table',
        integration: 'prod-postgres',
        permission,
      })),
    ),
  });

  it('names each resource once, with its integration, in Apono’s order', () => {
    expect(resourceLines(request)).toEqual([
      { resource: 'orders', integration: 'prod-postgres' },
      { resource: 'payments', integration: 'prod-postgres' },
    ]);
  });

  it('names each permission once', () => {
    expect(permissionNames(request)).toEqual(['READ_ONLY', 'READ_WRITE']);
  });
});
