// Whether the bot can message an approver at all. Teams cannot message a person by email: only someone
// the bot has met, or for whom the app is installed (Microsoft Learn, "Send proactive messages"). A
// named approver the bot does not know is installed for through Graph when an admin allowed it
// (GRAPH_INSTALL); anyone who still cannot be reached is logged, counted and listed for admins
// (GET /api/admin/unreachable), never skipped in silence.
import type { Logger } from '../log.js';
import { GraphInstallError, type GraphInstaller } from './graph-install.js';
import type { Messenger } from './messenger.js';
import { userOfMember, type People } from './people.js';
import type { TeamsStore } from './store.js';

/**
 * The public cloud's Bot Connector, for a tenant the bot has never heard from: use only when no
 * serviceUrl has been seen (Microsoft 365 Agents SDK, TeamsServiceEndpoints.publicGlobal).
 */
export const PUBLIC_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';
/** Named approvers looked up (and installed for) per event, at most. */
const MAX_NAMED = 20;

export interface ReachDeps {
  store: TeamsStore;
  people: People;
  messenger: Messenger;
  log: Logger;
  installer: GraphInstaller | null;
  /** The tenant the single-tenant bot serves (BOT_TENANT_ID). */
  tenantId: string | null;
}

type Person = { tenantId: string; aadObjectId: string; name: string | null };

export function createReach(deps: ReachDeps) {
  const { store, people, messenger, log } = deps;

  async function unreachable(email: string, requestId: string, reason: string): Promise<void> {
    // Not under `reason`: the logger redacts that key everywhere (it holds approvers' reasons elsewhere).
    log.warn({ requestId, unreachable: reason }, 'an approver cannot be reached in Teams');
    await store.markUnreachable(email, requestId, reason);
  }

  /** Installs the app for them, opens nothing new: the installation made the 1:1 chat. */
  async function install(installer: GraphInstaller, tenantId: string, email: string): Promise<Person | null> {
    const conversationId = await installer.installFor(email);
    const serviceUrl = (await store.serviceUrlFor(tenantId)) ?? PUBLIC_SERVICE_URL;
    const members = await messenger.membersOf({ serviceUrl, conversationId });
    const wanted = email.toLowerCase();
    const member =
      members.find((m) => [m.email, m.userPrincipalName].some((n) => n?.toLowerCase() === wanted)) ??
      members.find((m) => !!m.aadObjectId);
    if (!member?.aadObjectId) return null;
    await store.saveUser(userOfMember(tenantId, member, { serviceUrl, conversationId, email }));
    return { tenantId, aadObjectId: member.aadObjectId, name: member.name ?? null };
  }

  return {
    unreachable,

    async reached(emails: Array<string | null>): Promise<void> {
      await store.markReached(emails);
    },

    /**
     * The named approvers Teams does not know yet: each one installed for and returned when Graph
     * allows it, otherwise recorded as unreachable.
     */
    async strangers(requestId: string, emails: string[]): Promise<Person[]> {
      const reached: Person[] = [];
      for (const email of [...new Set(emails.map((e) => e.toLowerCase()))].slice(0, MAX_NAMED)) {
        if (await people.byEmail(email)) continue;
        if (!deps.installer || !deps.tenantId) {
          await unreachable(email, requestId, 'not_installed');
          continue;
        }
        try {
          const person = await install(deps.installer, deps.tenantId, email);
          if (person) reached.push(person);
          else await unreachable(email, requestId, 'no_chat_after_install');
        } catch (err) {
          const reason =
            err instanceof GraphInstallError
              ? `graph_install_failed: ${err.status} ${err.code}`
              : `graph_install_failed: ${(err as Error).message}`;
          await unreachable(email, requestId, reason);
        }
      }
      return reached;
    },
  };
}

export type Reach = ReturnType<typeof createReach>;
