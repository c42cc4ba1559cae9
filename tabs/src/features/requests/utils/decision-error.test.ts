import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-client.js';
import { describeDecisionFailure } from './decision-error.js';

describe('a failed decision, in plain words', () => {
  it('says the decision was recorded when Apono stopped answering after recording it', () => {
    const failure = describeDecisionFailure(
      new ApiError(503, 'apono_unavailable', 'Apono is not answering right now.', { decided: true }),
    );
    expect(failure).toEqual({
      message: 'Apono is not answering right now. Your decision was recorded before Apono stopped answering.',
      settled: true,
    });
  });

  it('asks to refresh before retrying when nobody knows whether the decision was recorded', () => {
    const failure = describeDecisionFailure(
      new ApiError(503, 'apono_unavailable', 'Apono is not answering right now.', { decided: null }),
    );
    expect(failure.settled).toBe(false);
    expect(failure.message).toContain('refresh the list before trying again');
  });

  it("passes the server's sentence through for other refusals", () => {
    expect(describeDecisionFailure(new ApiError(429, 'rate_limited', 'Wait a few seconds.'))).toEqual({
      message: 'Wait a few seconds.',
      settled: false,
    });
  });
});
