// The sandbox's people: the Microsoft 365 Agents Playground mock users, so a Playground activity's
// `from.aadObjectId` and a sandbox Apono token name the same person.

export const sandboxTenantId = '00000000-0000-0000-0000-0000000000001';

export interface SandboxUser {
  /** Apono user id. */
  id: string;
  name: string;
  email: string;
  /** Entra object ID, as the Agents Playground sends it. */
  aadObjectId: string;
  tenantId: string;
  /** Whose approval the `manager` approver kind asks for. */
  managerEmail: string | null;
  role: string;
}

const user = (
  id: string,
  name: string,
  email: string,
  aadSuffix: string,
  managerEmail: string | null,
  role: string,
): SandboxUser => ({
  id,
  name,
  email,
  aadObjectId: `00000000-0000-0000-0000-00000000000${aadSuffix}`,
  tenantId: sandboxTenantId,
  managerEmail,
  role,
});

export const sandboxUsers: readonly SandboxUser[] = [
  user('user-alex', 'Alex Wilber', 'alexw@example.com', '20', null, 'approver'),
  user('user-megan', 'Megan Bowen', 'meganb@example.com', '21', 'alexw@example.com', 'requester'),
  user('user-adele', 'Adele Vance', 'adelev@example.com', '22', null, 'approver'),
  user(
    'user-isaiah',
    'Isaiah Langer',
    'isaiah@example.com',
    '23',
    'alexw@example.com',
    'requester and approver',
  ),
  user('user-patti', 'Patti Fernandez', 'pattif@example.com', '24', null, 'approver of nothing'),
  user('user-lynne', 'Lynne Robbins', 'lynner@example.com', '25', 'adelev@example.com', 'requester'),
];

export function findUser(email: string): SandboxUser | undefined {
  const wanted = email.trim().toLowerCase();
  return sandboxUsers.find((u) => u.email === wanted);
}

/** A stable personal API token per user, so scripts and .env files keep working across restarts. */
export function tokenOf(user: SandboxUser): string {
  return `apono-sandbox-${user.email.split('@')[0]}`;
}

export function userByToken(token: string): SandboxUser | undefined {
  return sandboxUsers.find((u) => tokenOf(u) === token);
}
