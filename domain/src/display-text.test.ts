import { describe, expect, it } from 'vitest';
import type { AponoAccessRequest } from './apono.js';
import { toApprovalRequest } from './approval-request.js';
import { displayText, hasBidiControls } from './display-text.js';
import { inEnglish } from './read-catalogues.js';

const RLO = '\u202E';
/** Every bidi control Unicode defines (UAX #9): embeddings, overrides, isolates and marks. */
const controls = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
];

describe('text someone typed, before anyone sees it', () => {
  it('loses the override that would draw photo+RLO+gnp.exe as "photoexe.png"', () => {
    expect(displayText(`photo${RLO}gnp.exe`)).toBe('photognp.exe');
    expect(hasBidiControls(`photo${RLO}gnp.exe`)).toBe(true);
    expect(hasBidiControls(displayText(`photo${RLO}gnp.exe`))).toBe(false);
  });

  it('loses every embedding, override, isolate and mark, and nothing else', () => {
    for (const c of controls) expect(displayText(`a${c}b`), c.codePointAt(0)!.toString(16)).toBe('ab');
    const words = 'שלום Alex \u200E— مرحبا 😀 <b> **x** \u200B\u200D';
    expect(displayText(words)).toBe('שלום Alex — مرحبا 😀 <b> **x** \u200B\u200D');
    expect(displayText(null)).toBe('');
    expect(displayText(undefined)).toBe('');
  });
});

describe('the approval request an approver sees', () => {
  const model: AponoAccessRequest = {
    id: 'AR-1042',
    requestor: { id: 'user-megan', name: `Megan${RLO} Bowen`, email: `megan${RLO}b@example.com` },
    grantee: { id: 'user-megan', source_id: 'm', display_name: `Megan${RLO}`, type: 'user' },
    creation_time: 1796263265,
    status: { status: 'Pending', metadata: {} },
    justification: `Need photo${RLO}gnp.exe`,
    access_groups: [
      {
        id: 'ag-1',
        integration: {
          id: 'int-pg',
          type: 'postgresql',
          type_display_name: 'PostgreSQL',
          name: `prod${RLO}-pg`,
          icons: { png: '', svg: '' },
        },
        resource_types: [
          {
            id: 'db',
            name: 'Database',
            display_path: 'PostgreSQL/Database',
            allow_multiple_permissions: true,
            icons: { png: '', svg: '' },
          },
        ],
        has_new_credentials: false,
        status: { status: 'Success' },
        total_resources: 1,
        total_permissions: 1,
      },
    ],
    access_units_summary: [{ resource_name: `orders${RLO}vsc.`, permission_name: `READ${RLO}_ONLY` }],
    challenge: {
      logical_relation: 'AnyOf',
      approvers: [{ name: `SRE${RLO} Leads`, type: 'group', status: 'Pending', metadata: {}, tier: 1 }],
    },
    duration_in_sec: 3600,
    require_approver_reason: false,
    extension_count: 0,
    extend_options: {
      can_extend: false,
      extension_availability: 'None',
      extend_duration_in_sec: 0,
      remaining_extensions: 0,
    },
  };

  it('holds no bidi control anywhere, so the tab, the cards and search all read the same text', () => {
    const view = toApprovalRequest(model, {
      viewer: { email: 'alexw@example.com' },
      listedForViewer: true,
      facts: { accessFlow: `Prod${RLO} DB` },
    });
    expect(hasBidiControls(JSON.stringify(view))).toBe(false);
    expect(view).toMatchObject({
      id: 'AR-1042',
      justification: 'Need photognp.exe',
      requester: { name: 'Megan Bowen', email: 'meganb@example.com' },
      accessFlow: 'Prod DB',
      accessUnits: [{ resource: 'ordersvsc.', permission: 'READ_ONLY', integration: 'prod-pg' }],
    });
    expect(view.approval?.approvers[0]?.name).toBe('SRE Leads');
    expect(view.viewer.approverReasons.map(inEnglish)).toEqual(['Apono asks you as one of: group SRE Leads']);
  });
});
