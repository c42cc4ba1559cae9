// Who sent an activity, as the decision service knows people: Entra tenant + object ID, name, email.
// The email comes from the sandbox's user list in sandbox mode, otherwise from Teams itself
// (GET /v3/conversations/{id}/members/{userId}, re-read once a day), or from the tab's SSO token;
// either way it is remembered for next time. Teams cannot message a person by email: only people the
// bot has met (on install, in any activity, as members of a team it was added to) can be reached
// (Microsoft Learn, "Send proactive messages": the bot needs the user's ID and the app installed).
import type { Activity, TeamsChannelAccount } from '@microsoft/teams.api';
import type { Client as ApiClient } from '@microsoft/teams.api';
import type { SandboxUser } from '../app.js';
import type { Caller } from '../identity/tokens.js';
import type { Logger } from '../log.js';
import type { TeamsStore } from './store.js';
import { readerOf } from './words.js';

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

/** Teams' profile of a person (email, UPN) is read again after this long. */
export const PROFILE_MAX_AGE_MS = 24 * 3600_000;
/** Members read from a team or group chat the bot joins: Teams pages them at most 500 at a time. */
const MEMBER_PAGE = 500;
const MAX_MEMBER_PAGES = 20;

/** What Teams says of a member (GET .../members), as the bot keeps a person. */
export function userOfMember(
  tenantId: string,
  member: TeamsChannelAccount,
  extra: { serviceUrl: string | null; conversationId?: string; email?: string },
) {
  return {
    tenantId,
    aadObjectId: member.aadObjectId ?? '',
    email: member.email ?? extra.email ?? null,
    upn: member.userPrincipalName ?? null,
    name: member.name ?? null,
    userId: member.id?.startsWith('29:') ? member.id : null,
    serviceUrl: extra.serviceUrl,
    ...(extra.conversationId ? { conversationId: extra.conversationId } : {}),
    fromProfile: true,
  };
}

export function createPeople(options: PeopleOptions) {
  const { store, log } = options;

  function sandboxUser(aadObjectId: string, email?: string | null): SandboxUser | undefined {
    return options.sandboxUsers?.find(
      (u) => u.aadObjectId === aadObjectId || (!!email && u.email.toLowerCase() === email.toLowerCase()),
    );
  }

  /** A member as Teams describes them, kept: reachable later by email or UPN. */
  async function saveMember(tenantId: string, member: TeamsChannelAccount, serviceUrl: string | null) {
    if (member.aadObjectId) await store.saveUser(userOfMember(tenantId, member, { serviceUrl }));
  }

  /** The sender's profile from Teams, unless read within the last day (or `force`, on install). */
  async function refreshProfile(activity: Activity, api: ApiClient, tenantId: string, force: boolean) {
    const aadObjectId = activity.from.aadObjectId ?? '';
    const at = force ? null : await store.profileAt(tenantId, aadObjectId);
    if (at && Date.now() - at.getTime() < PROFILE_MAX_AGE_MS) return;
    try {
      const member = await api.conversations.getMemberById(activity.conversation.id, activity.from.id);
      await saveMember(tenantId, { ...member, aadObjectId: member.aadObjectId ?? aadObjectId }, null);
    } catch (err) {
      // A chat the bot is not in (a search or an unfurl there): the stored or SSO mapping stands.
      log.debug({ err: (err as Error).message }, 'could not read the member profile from Teams');
    }
  }

  return {
    /** The person who sent this activity; null when Teams did not say who (no object ID). */
    async callerOf(activity: Activity, api: ApiClient): Promise<Caller | null> {
      const aadObjectId = activity.from?.aadObjectId ?? null;
      const tenantId = tenantOf(activity) ?? sandboxUser(aadObjectId ?? '')?.tenantId ?? null;
      if (!aadObjectId || !tenantId) return null;
      const fromSandbox = sandboxUser(aadObjectId);
      if (!fromSandbox && activity.conversation?.id) await refreshProfile(activity, api, tenantId, false);
      const known = await store.user(tenantId, aadObjectId);
      const email = fromSandbox?.email ?? known?.email ?? known?.upn ?? null;
      const name = fromSandbox?.name ?? known?.name ?? activity.from.name ?? null;
      if (!email) return null;
      // Their language and zone as this activity says (Bot Framework `locale`, `localTimezone`), for
      // the cards the bot sends them later unasked (new requests, reminders, outcomes).
      const { locale, timeZone } = readerOf(activity);
      await store.saveUser({
        tenantId,
        aadObjectId,
        email,
        name,
        userId: activity.from.id ?? null,
        locale,
        timeZone,
      });
      return { tenantId, objectId: aadObjectId, name: name ?? email, email };
    },

    /** On install: the sender's profile now, and every member of a team or group chat the bot joined. */
    async rememberMembers(activity: Activity, api: ApiClient): Promise<number> {
      const tenantId = tenantOf(activity);
      if (!tenantId || options.sandboxUsers) return 0;
      if (activity.from?.aadObjectId) await refreshProfile(activity, api, tenantId, true);
      if (isPersonal(activity)) return 0;
      let saved = 0;
      let token: string | undefined;
      try {
        for (let page = 0; page < MAX_MEMBER_PAGES; page++) {
          const result = await api.conversations
            .members(activity.conversation.id)
            .getPaged(MEMBER_PAGE, token);
          for (const member of result.members)
            await saveMember(tenantId, member, activity.serviceUrl ?? null);
          saved += result.members.length;
          token = result.continuationToken;
          if (!token) break;
        }
      } catch (err) {
        log.warn({ err: (err as Error).message, saved }, 'could not read the members of the conversation');
      }
      return saved;
    },

    /** People added to a conversation the bot is in, as the conversationUpdate names them. */
    async rememberAdded(activity: Activity, api: ApiClient, ids: string[]): Promise<void> {
      const tenantId = tenantOf(activity);
      if (!tenantId || options.sandboxUsers) return;
      for (const id of ids.slice(0, 50)) {
        const member = await api.conversations.getMemberById(activity.conversation.id, id).catch(() => null);
        if (member) await saveMember(tenantId, member, activity.serviceUrl ?? null);
      }
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

/** How often one person's tab sign-in is written down again (the tab calls the API every 20 s). */
const SIGNED_IN_EVERY_MS = 10 * 60_000;

/**
 * Remembers each person who signs in to the tab (object ID → email), so the bot knows them in a chat
 * it is not in (a search, an unfurl) and can find them by email. At most once per 10 minutes each.
 */
export function signedInRecorder(store: TeamsStore): (caller: Caller) => Promise<void> {
  const last = new Map<string, number>();
  return async (caller) => {
    const key = `${caller.tenantId}|${caller.objectId}`;
    const now = Date.now();
    if (now - (last.get(key) ?? 0) < SIGNED_IN_EVERY_MS) return;
    if (last.size > 10_000) last.clear();
    last.set(key, now);
    await store.saveUser({
      tenantId: caller.tenantId,
      aadObjectId: caller.objectId,
      email: caller.email,
      name: caller.name,
    });
  };
}
