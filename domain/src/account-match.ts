// Whether an Apono account belongs to the person signed in to Teams. A pasted personal token (or an
// Apono sign-in in a shared browser) can be someone else's; deciding with it would decide as them
// while the tab shows the Teams user. Apono's session gives the account's email (UserClientModel.email
// is required in the client spec); Teams gives the sign-in name, email and UPN. They must agree, or
// an admin-written mapping must say they are the same person.

/** One admin-written pair: a full address for one person, or `@domain` for everyone in a domain. */
export interface AccountMapping {
  teams: string;
  apono: string;
}

const normal = (address: string) => address.trim().toLowerCase();
const isDomain = (side: string) => /^@[^@\s]+$/.test(side);
const isAddress = (side: string) => /^[^@\s]+@[^@\s]+$/.test(side);

/**
 * Reads `teams=apono` pairs separated by commas, e.g.
 * `@contoso.onmicrosoft.com=@contoso.com, adele@contoso.com=adele.vance@contoso.com`.
 * Both sides are addresses, or both are domains. Throws a sentence naming the first bad pair.
 */
export function parseAccountMappings(text: string): AccountMapping[] {
  return text
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const [teams = '', apono = '', ...rest] = pair.split('=').map(normal);
      const bothDomains = isDomain(teams) && isDomain(apono);
      const bothAddresses = isAddress(teams) && isAddress(apono);
      if (rest.length || !(bothDomains || bothAddresses))
        throw new Error(
          `"${pair}" is not a pair of addresses (a@x=b@y) or of domains (@x=@y), separated by "="`,
        );
      return { teams, apono };
    });
}

function mapped(teamsName: string, mapping: AccountMapping): string | null {
  if (!isDomain(mapping.teams)) return teamsName === mapping.teams ? mapping.apono : null;
  const at = teamsName.lastIndexOf('@');
  if (at < 1 || teamsName.slice(at) !== mapping.teams) return null;
  return teamsName.slice(0, at) + mapping.apono;
}

/** True when one of the Teams names is the Apono email, directly or through a mapping. */
export function isSameAccount(
  teamsNames: readonly string[],
  aponoEmail: string | null | undefined,
  mappings: readonly AccountMapping[] = [],
): boolean {
  if (!aponoEmail?.trim()) return false;
  const apono = normal(aponoEmail);
  const names = teamsNames.map(normal).filter(Boolean);
  if (names.includes(apono)) return true;
  return names.some((name) => mappings.some((m) => mapped(name, m) === apono));
}
