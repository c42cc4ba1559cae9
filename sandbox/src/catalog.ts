// What the sandbox's Apono account contains: integrations, their resources, groups, on-call
// schedules and access flows. Access flows name approvers by kind, so every "why you are an
// approver" reason exists: user, group, manager, resource owner, integration owner, on-call.

export type ApproverKind = 'user' | 'group' | 'manager' | 'resource_owner' | 'integration_owner' | 'oncall';

export interface Integration {
  id: string;
  type: string;
  typeDisplayName: string;
  name: string;
  resourceType: { id: string; name: string };
  permissions: string[];
  owners: string[];
}

export interface Resource {
  id: string;
  name: string;
  integrationId: string;
  owners: string[];
}

export interface ApproverSpec {
  kind: ApproverKind;
  /** user: the email; group and oncall: the group or schedule id. */
  ref?: string;
  tier?: number;
}

export interface AccessFlow {
  id: string;
  name: string;
  relation: 'AnyOf' | 'AllOf';
  requireApproverReason: boolean;
  /** Apono's "requestor cannot approve their own request" setting, inverted. */
  allowSelfApproval: boolean;
  integrationIds: string[];
  approvers: ApproverSpec[];
}

const integration = (
  id: string,
  type: string,
  typeDisplayName: string,
  name: string,
  resourceType: string,
  permissions: string[],
  owners: string[],
): Integration => ({
  id,
  type,
  typeDisplayName,
  name,
  resourceType: { id: `${type}-${resourceType.toLowerCase().replace(/\s+/g, '-')}`, name: resourceType },
  permissions,
  owners,
});

const alex = 'alexw@example.com';
const adele = 'adelev@example.com';
const isaiah = 'isaiah@example.com';

export const integrations: readonly Integration[] = [
  integration(
    'int-pg-prod',
    'postgresql',
    'PostgreSQL',
    'prod-postgres',
    'Database',
    ['READ_ONLY', 'READ_WRITE', 'ADMIN'],
    [adele],
  ),
  integration(
    'int-aws-prod',
    'aws-account',
    'AWS Account',
    'prod-aws',
    'S3 Bucket',
    ['ReadOnly', 'ReadWrite', 'Admin'],
    [alex],
  ),
  integration(
    'int-eks-prod',
    'k8s-cluster',
    'Kubernetes Cluster',
    'prod-eks',
    'Namespace',
    ['view', 'edit', 'admin'],
    [alex],
  ),
  integration(
    'int-mysql-billing',
    'mysql',
    'MySQL',
    'billing-mysql',
    'Table',
    ['SELECT', 'SELECT_INSERT_UPDATE'],
    [alex],
  ),
  integration(
    'int-mongo-analytics',
    'mongodb',
    'MongoDB',
    'analytics-mongo',
    'Collection',
    ['read', 'readWrite', 'dbAdmin'],
    [adele],
  ),
  integration(
    'int-github',
    'github-organization',
    'GitHub',
    'contoso-github',
    'Repository',
    ['pull', 'push', 'maintain'],
    [],
  ),
];

const resource = (integrationId: string, name: string, owners: string[] = []): Resource => ({
  id: `${integrationId.replace(/^int-/, 'res-')}-${name}`,
  name,
  integrationId,
  owners,
});

/** Warehouse tables exist so one request can ask for 40+ access units (15 tables × 3 permissions). */
const warehouseTables = Array.from({ length: 15 }, (_, i) => `warehouse_${String(i + 1).padStart(2, '0')}`);

export const resources: readonly Resource[] = [
  ...['orders', 'payments'].map((n) => resource('int-pg-prod', n, [alex])),
  ...['customers', 'inventory', 'audit_log'].map((n) => resource('int-pg-prod', n)),
  ...warehouseTables.map((n) => resource('int-pg-prod', n)),
  ...['invoices-archive', 'logs-central', 'ml-artifacts'].map((n) => resource('int-aws-prod', n)),
  ...['checkout', 'payments-api', 'platform', 'observability'].map((n) => resource('int-eks-prod', n)),
  ...['invoices', 'subscriptions', 'refunds'].map((n) => resource('int-mysql-billing', n)),
  ...['events', 'sessions', 'experiments'].map((n) => resource('int-mongo-analytics', n, [adele])),
  ...['web-frontend', 'infra-terraform', 'payments-service'].map((n) => resource('int-github', n)),
];

export const groups: Readonly<Record<string, { name: string; members: string[] }>> = {
  'grp-sre-leads': { name: 'SRE Leads', members: [alex] },
  'grp-dba-oncall': { name: 'DBA On-call', members: [adele] },
  'grp-platform-admins': { name: 'Platform Admins', members: [alex, adele] },
  'grp-security': { name: 'Security Team', members: [adele] },
};

export const oncallSchedules: Readonly<Record<string, { name: string; onCall: string[] }>> = {
  'pd-sre-primary': { name: 'PagerDuty: SRE primary', onCall: [alex] },
  'pd-data-primary': { name: 'PagerDuty: Data primary', onCall: [adele] },
};

export const accessFlows: readonly AccessFlow[] = [
  {
    id: 'flow-prod-db',
    name: 'Production databases',
    relation: 'AnyOf',
    requireApproverReason: false,
    allowSelfApproval: false,
    integrationIds: ['int-pg-prod', 'int-mysql-billing'],
    approvers: [
      { kind: 'user', ref: alex },
      { kind: 'user', ref: adele },
    ],
  },
  {
    id: 'flow-aws-admin',
    name: 'AWS production access',
    relation: 'AnyOf',
    requireApproverReason: true,
    allowSelfApproval: false,
    integrationIds: ['int-aws-prod'],
    approvers: [{ kind: 'group', ref: 'grp-sre-leads' }],
  },
  {
    id: 'flow-k8s-namespaces',
    name: 'Kubernetes namespaces',
    relation: 'AnyOf',
    requireApproverReason: false,
    allowSelfApproval: false,
    integrationIds: ['int-eks-prod'],
    approvers: [{ kind: 'manager' }],
  },
  {
    id: 'flow-data-owners',
    name: 'Data owner approval',
    relation: 'AnyOf',
    requireApproverReason: false,
    allowSelfApproval: false,
    integrationIds: ['int-pg-prod', 'int-mongo-analytics'],
    approvers: [{ kind: 'resource_owner' }],
  },
  {
    id: 'flow-integration-owner',
    name: 'Integration owner approval',
    relation: 'AnyOf',
    requireApproverReason: false,
    allowSelfApproval: false,
    integrationIds: ['int-aws-prod', 'int-mysql-billing', 'int-mongo-analytics'],
    approvers: [{ kind: 'integration_owner' }],
  },
  {
    id: 'flow-break-glass',
    name: 'Break-glass (on-call)',
    relation: 'AnyOf',
    requireApproverReason: true,
    allowSelfApproval: false,
    integrationIds: ['int-eks-prod', 'int-aws-prod'],
    approvers: [
      { kind: 'oncall', ref: 'pd-sre-primary' },
      { kind: 'oncall', ref: 'pd-data-primary' },
    ],
  },
  {
    id: 'flow-billing-two-person',
    name: 'Billing data (two-person rule)',
    relation: 'AllOf',
    requireApproverReason: true,
    allowSelfApproval: false,
    integrationIds: ['int-mysql-billing'],
    approvers: [
      { kind: 'user', ref: alex },
      { kind: 'user', ref: adele },
    ],
  },
  {
    id: 'flow-prod-escalation',
    name: 'Production with escalation',
    relation: 'AnyOf',
    requireApproverReason: false,
    allowSelfApproval: false,
    integrationIds: ['int-pg-prod', 'int-eks-prod'],
    approvers: [
      { kind: 'group', ref: 'grp-dba-oncall', tier: 1 },
      { kind: 'user', ref: alex, tier: 2 },
      { kind: 'group', ref: 'grp-platform-admins', tier: 3 },
    ],
  },
  {
    id: 'flow-github',
    name: 'GitHub repositories',
    relation: 'AnyOf',
    requireApproverReason: false,
    allowSelfApproval: false,
    integrationIds: ['int-github'],
    approvers: [
      { kind: 'user', ref: isaiah },
      { kind: 'group', ref: 'grp-sre-leads' },
    ],
  },
  {
    id: 'flow-security-tools',
    name: 'Security tooling',
    relation: 'AnyOf',
    requireApproverReason: true,
    allowSelfApproval: false,
    integrationIds: ['int-mongo-analytics', 'int-aws-prod'],
    approvers: [{ kind: 'group', ref: 'grp-security' }],
  },
];

export const findFlow = (id: string) => accessFlows.find((f) => f.id === id);
export const findIntegration = (id: string) => integrations.find((i) => i.id === id);
export const findResource = (idOrName: string) =>
  resources.find((r) => r.id === idOrName) ?? resources.find((r) => r.name === idOrName);
