import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-client.js';
import { errorMessage } from '../../../lib/api-client.js';
import { testWords } from '../../../lib/test-words.js';
import { describeDecisionFailure as describe_ } from './decision-error.js';

// The server's sentences below are not the codes' defaults, so they pass through as written.
const words = { ...testWords('en'), errorText: errorMessage };
const describeDecisionFailure = (error: unknown) => describe_(error, words);

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

  it('names who decided already, unless the server said so', () => {
    const decision = {
      outcome: 'approved',
      decidedBy: { name: 'Adele Vance', email: 'adelev@example.com', kind: null },
      decidedAt: null,
      reason: null,
      source: 'app',
    };
    expect(
      describeDecisionFailure(
        new ApiError(409, 'already_decided', 'This request has already been decided.', { decision }),
      ),
    ).toEqual({
      message:
        'This request has already been decided. Adele Vance approved it. Nothing more is needed from you.',
      settled: true,
    });
    // The server's own English sentence gives way to the reader's words when the decision is known.
    const told = 'This request was already approved by Adele Vance. Nothing more is needed from you.';
    expect(describeDecisionFailure(new ApiError(409, 'already_decided', told, { decision })).message).toBe(
      'This request has already been decided. Adele Vance approved it. Nothing more is needed from you.',
    );
    // Without the decision, the server's sentence stands, said once.
    expect(describeDecisionFailure(new ApiError(409, 'already_decided', told)).message).toBe(told);
    const de = { ...testWords('de'), errorText: errorMessage };
    expect(describe_(new ApiError(409, 'already_decided', told, { decision }), de).message).toBe(
      'Über diese Anfrage wurde bereits entschieden. Adele Vance hat genehmigt. Von Ihnen ist nichts weiter nötig.',
    );
  });

  it('says that Apono does not share the reason when the decision was made in Apono', () => {
    const decision = {
      outcome: 'rejected',
      decidedBy: { name: 'SRE Leads', email: null, kind: 'group' },
      decidedAt: null,
      reason: null,
      source: 'apono',
    };
    expect(
      describeDecisionFailure(
        new ApiError(409, 'already_decided', 'This request has already been decided.', { decision }),
      ).message,
    ).toBe(
      'This request has already been decided. Rejected in Apono by group SRE Leads. Apono does not share the reason for decisions made outside this app. Nothing more is needed from you.',
    );
  });

  it("passes the server's sentence through for other refusals", () => {
    expect(describeDecisionFailure(new ApiError(429, 'rate_limited', 'Wait a few seconds.'))).toEqual({
      message: 'Wait a few seconds.',
      settled: false,
    });
  });
});

describe('a failed decision, in German', () => {
  it('words the code’s default in German and adds what it means in German', () => {
    const de = { ...testWords('de'), errorText: () => 'Apono antwortet gerade nicht.' };
    const failure = describe_(
      new ApiError(
        503,
        'apono_unavailable',
        'Apono is not answering right now. Wait a minute and try again.',
        {
          decided: true,
        },
      ),
      de,
    );
    expect(failure.message).toBe(`Apono antwortet gerade nicht. ${de.t('decisionFailure.recorded')}`);
    expect(de.t('decisionFailure.recorded')).not.toBe(words.t('decisionFailure.recorded'));
  });
});
