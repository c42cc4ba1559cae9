import { describe, expect, it } from 'vitest';
import { cannotDecideText, permissionNames, resourceLines } from './summaries.js';
import { pendingRequest } from '../../../lib/test-requests.js';
import { testWords } from '../../../lib/test-words.js';

const { t } = testWords('en');

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

describe('why a listed request cannot be decided', () => {
  it('says what the viewer decided when they did, and that others still decide', () => {
    expect(cannotDecideText(t, 'already_decided', 'approved')).toBe(
      'You approved it; the request waits for other approvers.',
    );
    expect(cannotDecideText(t, 'already_decided')).toBe(
      'You have decided; the request waits for other approvers.',
    );
  });
});

describe('in Arabic', () => {
  it('says the same from the Arabic catalogue', () => {
    expect(cannotDecideText(testWords('ar').t, 'requester')).toBe(
      testWords('ar').t('cannotDecide.requester'),
    );
    expect(cannotDecideText(testWords('ar').t, 'requester')).not.toBe(cannotDecideText(t, 'requester'));
  });
});
