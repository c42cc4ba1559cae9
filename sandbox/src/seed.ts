// The seeded account, deterministic for a given clock: requests pending Alex's and Adele's
// decisions for every "why you are an approver" kind, plus decided history in Apono's statuses
// (Active, Revoked once the duration ran out, Rejected, Failed). History is produced by the same
// decide() the API uses, so seeded decisions look exactly like live ones.
import { createRequestRecord } from './create.js';
import { decide, fail, grant, revoke } from './decide.js';
import type { DecisionInput } from './decide.js';
import { hostileJustifications as hostile } from './hostile.js';
import type { RequestRecord } from './model.js';
import { findUser } from './users.js';

/** IDs of requests with something notable, for tests and demos. */
export const seededRequestIds = {
  plain: 'AR-1001',
  hostileMarkdown: 'AR-1002',
  requiresReason: 'AR-1003',
  hostileHtml: 'AR-1004',
  managerApproval: 'AR-1005',
  resourceOwner: 'AR-1007',
  hostileTemplate: 'AR-1008',
  integrationOwner: 'AR-1009',
  longJustification: 'AR-1011',
  onCall: 'AR-1012',
  allOf: 'AR-1013',
  allOfHalfApproved: 'AR-1014',
  escalated: 'AR-1015',
  threeTiersEscalated: 'AR-1016',
  selfApproval: 'AR-1018',
  manyUnits: 'AR-1019',
  hostileMixed: 'AR-1027',
  noJustification: 'AR-1028',
  notYetEscalated: 'AR-1032',
  /** Approved by Alex; Revoked when its hour ran out. */
  approvedByAlex: 'AR-1034',
  rejectedByAlex: 'AR-1035',
  /** Approved by Adele; still Active. */
  approvedByAdele: 'AR-1036',
  rejectedByAdele: 'AR-1037',
  /** AllOf, approved by both; Active. */
  allOfApproved: 'AR-1038',
  /** Approved by Alex; Revoked. */
  revoked: 'AR-1039',
  /** Approved by Alex; granting Failed. */
  failed: 'AR-1040',
} as const;

const megan = 'meganb@example.com';
const lynne = 'lynner@example.com';
const isaiah = 'isaiah@example.com';
const alex = 'alexw@example.com';
const adele = 'adelev@example.com';

type Units = Array<[string, string]>;
// [number, requester, flow, units, justification, minutes ago, hours of access]
type Row = [number, string, string, Units, string | null, number, number];

const warehouse: Units = Array.from({ length: 15 }, (_, i) =>
  ['READ_ONLY', 'READ_WRITE', 'ADMIN'].map((p): [string, string] => [
    `warehouse_${String(i + 1).padStart(2, '0')}`,
    p,
  ]),
).flat();

const rows: Row[] = [
  [
    1001,
    megan,
    'flow-prod-db',
    [['orders', 'READ_ONLY']],
    'Investigating INC-2231: slow checkout queries',
    35,
    1,
  ],
  [1002, lynne, 'flow-prod-db', [['payments', 'READ_WRITE']], hostile.markdown, 50, 2],
  [
    1003,
    megan,
    'flow-aws-admin',
    [['invoices-archive', 'ReadOnly']],
    'Quarterly audit export for finance',
    70,
    4,
  ],
  [1004, lynne, 'flow-aws-admin', [['logs-central', 'ReadWrite']], hostile.html, 95, 1],
  [
    1005,
    megan,
    'flow-k8s-namespaces',
    [['checkout', 'edit']],
    'Deploy hotfix for cart totals (INC-2240)',
    120,
    2,
  ],
  [
    1006,
    isaiah,
    'flow-k8s-namespaces',
    [['payments-api', 'view']],
    'Debug webhook retries in payments-api',
    150,
    1,
  ],
  [1007, megan, 'flow-data-owners', [['payments', 'READ_ONLY']], 'Reconcile refunds for October', 180, 8],
  [1008, lynne, 'flow-data-owners', [['orders', 'READ_WRITE']], hostile.template, 210, 1],
  [
    1009,
    megan,
    'flow-integration-owner',
    [['ml-artifacts', 'ReadWrite']],
    'Upload retrained ranking model',
    240,
    3,
  ],
  [
    1010,
    lynne,
    'flow-integration-owner',
    [['subscriptions', 'SELECT']],
    'Churn analysis for the Q4 board deck',
    270,
    24,
  ],
  [1011, megan, 'flow-break-glass', [['platform', 'admin']], hostile.long, 300, 1],
  [1012, lynne, 'flow-break-glass', [['logs-central', 'Admin']], 'Sev1: log pipeline dropping events', 20, 1],
  [
    1013,
    megan,
    'flow-billing-two-person',
    [['invoices', 'SELECT']],
    'Verify the invoice numbering fix',
    330,
    2,
  ],
  [
    1014,
    lynne,
    'flow-billing-two-person',
    [['refunds', 'SELECT_INSERT_UPDATE']],
    'Backfill refunds missed by the job',
    360,
    2,
  ],
  [
    1015,
    megan,
    'flow-prod-escalation',
    [['inventory', 'READ_WRITE']],
    'Fix stock counts after the import bug',
    400,
    2,
  ],
  [
    1016,
    lynne,
    'flow-prod-escalation',
    [['observability', 'edit']],
    'Tune alert rules before the launch',
    600,
    4,
  ],
  [
    1017,
    megan,
    'flow-github',
    [['infra-terraform', 'push']],
    'Apply the DNS change for the status page',
    45,
    1,
  ],
  [1018, isaiah, 'flow-github', [['payments-service', 'maintain']], 'Rotate deploy keys', 25, 1],
  [1019, megan, 'flow-prod-db', warehouse, 'Rebuild reporting warehouse indexes', 500, 8],
  [1020, lynne, 'flow-prod-db', [['customers', 'READ_ONLY']], 'GDPR data subject request #5512', 15, 1],
  [1021, isaiah, 'flow-prod-db', [['audit_log', 'READ_ONLY']], 'Audit evidence for SOC 2', 10, 1],
  [
    1022,
    megan,
    'flow-aws-admin',
    [
      ['ml-artifacts', 'ReadOnly'],
      ['logs-central', 'ReadOnly'],
    ],
    'Compare model outputs with logs',
    5,
    2,
  ],
  [1023, megan, 'flow-k8s-namespaces', [['observability', 'view']], 'Check Grafana alert rules', 800, 1],
  [1024, isaiah, 'flow-integration-owner', [['invoices', 'SELECT']], 'Invoice template QA', 900, 2],
  [
    1025,
    megan,
    'flow-data-owners',
    [
      ['orders', 'READ_ONLY'],
      ['payments', 'READ_ONLY'],
    ],
    'Trace duplicate charge for order 88412',
    1000,
    1,
  ],
  [
    1026,
    lynne,
    'flow-prod-db',
    [
      ['inventory', 'READ_ONLY'],
      ['refunds', 'SELECT'],
    ],
    'Cross-check inventory against refunds',
    1200,
    4,
  ],
  [1027, megan, 'flow-break-glass', [['checkout', 'admin']], hostile.mixed, 1500, 1],
  [1028, megan, 'flow-prod-db', [['payments', 'READ_ONLY']], null, 2000, 1],
  // Adele's alone.
  [
    1029,
    lynne,
    'flow-k8s-namespaces',
    [['payments-api', 'edit']],
    'Scale payments-api for the load test',
    40,
    2,
  ],
  [
    1030,
    megan,
    'flow-security-tools',
    [['sessions', 'read']],
    'Investigate credential stuffing sessions',
    60,
    1,
  ],
  [1031, megan, 'flow-data-owners', [['events', 'read']], 'Funnel analysis for onboarding', 90, 8],
  [1032, megan, 'flow-prod-escalation', [['customers', 'READ_ONLY']], 'Support ticket #7731 lookup', 30, 1],
  [
    1033,
    lynne,
    'flow-integration-owner',
    [['experiments', 'readWrite']],
    'Clean up finished A/B tests',
    75,
    2,
  ],
  // History.
  [1034, megan, 'flow-prod-db', [['orders', 'READ_ONLY']], 'Investigating INC-2199', 3000, 1],
  [1035, lynne, 'flow-aws-admin', [['invoices-archive', 'Admin']], 'Clean up old invoices', 2900, 1],
  [1036, megan, 'flow-prod-db', [['customers', 'READ_WRITE']], 'Schema migration window', 90, 2],
  [1037, isaiah, 'flow-prod-db', [['payments', 'ADMIN']], 'Vacuum the payments table', 2700, 1],
  [1038, lynne, 'flow-billing-two-person', [['invoices', 'SELECT']], 'Month-end close', 180, 4],
  [1039, megan, 'flow-k8s-namespaces', [['checkout', 'view']], 'Watch the canary rollout', 2500, 1],
  [1040, lynne, 'flow-break-glass', [['platform', 'admin']], 'Restart the ingress controller', 2400, 1],
];

// [request, approver, decision, reason, minutes after creation]
const decisions: Array<[number, string, 'approve' | 'reject', string | null, number]> = [
  [1014, adele, 'approve', 'Backfill scope checked', 60],
  [1034, alex, 'approve', 'Matches INC-2199', 10],
  [1035, alex, 'reject', 'Admin is too broad; request ReadOnly', 20],
  [1036, adele, 'approve', 'OK for the migration window', 15],
  [1037, adele, 'reject', 'Use the break-glass flow for ADMIN', 30],
  [1038, adele, 'approve', 'Month-end', 20],
  [1038, alex, 'approve', 'Month-end, second approval', 45],
  [1039, alex, 'approve', null, 5],
  [1040, alex, 'approve', 'Ingress restart for INC-2260', 8],
];

// [request, tier, minutes ago it was escalated to]
const escalations: Array<[number, number, number]> = [
  [1015, 2, 60],
  [1016, 2, 300],
  [1016, 3, 120],
];

/** Requests whose grant fails at the integration. */
const failedGrants = new Set([Number(seededRequestIds.failed.slice(3))]);

export function seedRequests(nowSeconds: number): RequestRecord[] {
  const at = (minutesAgo: number) => Math.round(nowSeconds - minutesAgo * 60);
  const byNumber = new Map<number, RequestRecord>();
  for (const [n, requesterEmail, flowId, units, justification, ago, hours] of rows) {
    const record = createRequestRecord({
      friendlyId: `AR-${n}`,
      requesterEmail,
      flowId,
      units,
      justification,
      createdAt: at(ago),
      durationSeconds: hours * 3600,
    });
    byNumber.set(n, record);
  }
  for (const [n, tier, ago] of escalations) {
    for (const entry of byNumber.get(n)?.approvers ?? [])
      if (entry.tier === tier) entry.escalatedAt = at(ago);
  }
  for (const [n, email, decision, justification, after] of decisions) {
    const record = byNumber.get(n);
    const caller = findUser(email);
    if (!record || !caller) continue;
    const input: DecisionInput = { caller, decision, justification, at: record.createdAt + after * 60 };
    if (decide(record, input) !== 'Granting') continue;
    if (failedGrants.has(n)) fail(record);
    else grant(record, input.at + 5);
  }
  // Access whose duration has run out is Revoked, as Apono ends it.
  for (const record of byNumber.values()) {
    const ends =
      record.grantedAt != null ? record.grantedAt + (record.durationSeconds ?? Infinity) : Infinity;
    if (record.status === 'Active' && ends <= nowSeconds) revoke(record, ends);
  }
  return [...byNumber.values()];
}
