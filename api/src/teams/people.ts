// Who sent an activity, as the decision service knows people: Entra tenant + object ID, name, email.
// The email comes from the sandbox's user list in sandbox mode, otherwise from Teams itself
// (GET /v3/conversations/{id}/members/{userId}); either way it is remembered for next time.
import type { Activity } from '@microsoft/teams.api';
import type { Client as ApiClient } from '@microsoft/teams.api';
import type { SandboxUser } from '../app.js';
import type { Caller } from '../identity/tokens.js';
import type { Logger } from '../log.js';
import type { TeamsStore } from './store.js';

export interface PeopleOptions {
  store: TeamsStore;
  log: Logger;
  /** Sandbox mode: the sandbox's people, whose object IDs are the Agents Playground's mock users. */
  sandboxUsers?: SandboxUser[] | undefined;
}

export function tenantOf(activity: Activity): string | null {
  const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
  return activity.conversation?.tenantId ?? channelData?.tenant?.id ?? null;
}

/** A 1:1 chat between one person and the bot. */
export function isPersonal(activity: Activity): boolean {
  const type = activity.conversation?.conversationType;
  return type ? type === 'personal' : !activity.conversation?.isGroup;
}

export function createPeople(options: PeopleOptions) {
  const { store, log } = options;

  function sandboxUser(aadObjectId: string, email?: string | null): SandboxUser | undefined {
    return options.sandboxUsers?.find(
      (u) => u.aadObjectId === aadObjectId || (!!email && u.email.toLowerCase() === email.toLowerCase()),
    );
  }

  return {
    /** The person who sent this activity; null when Teams did not say who (no object ID). */
    async callerOf(activity: Activity, api: ApiClient): Promise<Caller | null> {
      const aadObjectId = activity.from?.aadObjectId ?? null;
      const tenantId = tenantOf(activity) ?? sandboxUser(aadObjectId ?? '')?.tenantId ?? null;
      if (!aadObjectId || !tenantId) return null;
      const known = await store.user(tenantId, aadObjectId);
      let email = known?.email ?? null;
      let name = known?.name ?? activity.from.name ?? null;
      const fromSandbox = sandboxUser(aadObjectId);
      if (fromSandbox) {
        email = fromSandbox.email;
        name = fromSandbox.name;
      } else if (!email && activity.conversation?.id) {
        try {
          const member = await api.conversations.getMemberById(activity.conversation.id, activity.from.id);
          email = member.email ?? member.userPrincipalName ?? null;
          name = member.name ?? name;
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'could not read the member profile from Teams');
        }
      }
      if (!email) return null;
      await store.saveUser({ tenantId, aadObjectId, email, name, userId: activity.from.id ?? null });
      return { tenantId, objectId: aadObjectId, name: name ?? email, email };
    },

    /** Someone we may need to message later, looked up by email (a requester, an approver). */
    async byEmail(
      email: string,
    ): Promise<{ tenantId: string; aadObjectId: string; name: string | null } | null> {
      const known = await store.userByEmail(email);
      if (known) return { tenantId: known.tenantId, aadObjectId: known.aadObjectId, name: known.name };
      const fromSandbox = sandboxUser('', email);
      return fromSandbox
        ? { tenantId: fromSandbox.tenantId, aadObjectId: fromSandbox.aadObjectId, name: fromSandbox.name }
        : null;
    },

    /** byEmail for the many people a webhook may name: one database query, in the order given. */
    async byEmails(
      emails: string[],
    ): Promise<Array<{ tenantId: string; aadObjectId: string; name: string | null }>> {
      const known = await store.usersByEmail(emails);
      return emails.flatMap((email) => {
        const user = known.get(email.toLowerCase());
        if (user) return [{ tenantId: user.tenantId, aadObjectId: user.aadObjectId, name: user.name }];
        const fromSandbox = sandboxUser('', email);
        return fromSandbox
          ? [{ tenantId: fromSandbox.tenantId, aadObjectId: fromSandbox.aadObjectId, name: fromSandbox.name }]
          : [];
      });
    },

    /** The caller for a stored person (to read a request as them). */
    async callerFor(tenantId: string, aadObjectId: string): Promise<Caller | null> {
      const known = await store.user(tenantId, aadObjectId);
      const fromSandbox = sandboxUser(aadObjectId);
      const email = fromSandbox?.email ?? known?.email;
      if (!email) return null;
      return { tenantId, objectId: aadObjectId, name: fromSandbox?.name ?? known?.name ?? email, email };
    },
  };
}

export type People = ReturnType<typeof createPeople>;
