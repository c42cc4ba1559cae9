// What the bot remembers: the people it has met in Teams (with their 1:1 conversation, so it can
// message them later), every request card it has posted or seen (so every copy can be updated), the
// approvers it knows for each request (for Universal Actions refresh), and which notices were sent.
import type { Logger } from '../log.js';
import { jsonValue, type Db } from '../store/db.js';

export interface TeamsUser {
  tenantId: string;
  aadObjectId: string;
  email: string | null;
  /** The user principal name, which Teams gives beside the email and which may differ from it. */
  upn: string | null;
  /** Their Teams client's time zone (IANA, from an activity's localTimezone), when it said. */
  timeZone?: string | null;
  /** Their Teams client's language (BCP 47, from their last activity's `locale`), when it said. */
  locale?: string | null;
  name: string | null;
  /** The Teams user ID (29:...), which the Bot Connector wants when opening a 1:1 chat. */
  userId: string | null;
  /** The 1:1 conversation with the bot, when there is one. */
  conversationId: string | null;
  serviceUrl: string | null;
}

export interface PostedCard {
  requestId: string;
  conversationId: string;
  activityId: string;
  serviceUrl: string;
  tenantId: string;
  /** A 1:1 chat: the card shows its owner's own view. Otherwise everyone sees the shared copy. */
  personal: boolean;
  ownerObjectId: string;
  /** The card's place in a message that holds several requests; absent when it is alone. */
  batch?: MessageSlot;
}

export interface MessageSlot {
  slot: number;
  /** What the slot shows now: an update of one slot re-sends all of them. */
  card: unknown;
  /** The message's line of text above the cards, kept so an update does not drop it. */
  text: string | null;
}

/** An approver named for a request whom no message could reach, and why (the last time). */
export interface UnreachablePerson {
  email: string;
  reason: string;
  requestId: string;
  attempts: number;
  firstAt: string;
  lastAt: string;
}

/** Copies of a request are remembered this many days after it reached a final state. */
export const CARD_KEEP_DAYS = 30;
/** A new request that names no approvers is offered to at most this many known people. */
export const MAX_FALLBACK_APPROVERS = 200;

type Row = Record<string, unknown>;

/** A Teams user MRI: the stored 29: ID, or the one Teams derives from the Entra object ID. */
export function mriOf(aadObjectId: string, userId: string | null): string {
  return userId?.startsWith('29:') ? userId : `8:orgid:${aadObjectId}`;
}
const text = (v: unknown) => (typeof v === 'string' ? v : null);

function cardOf(r: Row): PostedCard {
  return {
    requestId: String(r.request_id),
    conversationId: String(r.conversation_id),
    activityId: String(r.activity_id),
    serviceUrl: String(r.service_url),
    tenantId: String(r.tenant_id),
    personal: r.personal === true,
    ownerObjectId: String(r.owner_object_id),
    ...(r.slot === null || r.slot === undefined
      ? {}
      : { batch: { slot: Number(r.slot), card: jsonValue(r.card), text: text(r.message_text) } }),
  };
}

function userOf(row: Row): TeamsUser {
  return {
    tenantId: String(row.tenant_id),
    aadObjectId: String(row.aad_object_id),
    email: text(row.email),
    upn: text(row.upn),
    timeZone: text(row.time_zone),
    locale: text(row.locale),
    name: text(row.name),
    userId: text(row.user_id),
    conversationId: text(row.conversation_id),
    serviceUrl: text(row.service_url),
  };
}

/**
 * A notice claimed but never marked sent (its instance died mid-send) may be claimed again after
 * this long: the delivery job's lease, so that a retried job finds it free.
 */
export const NOTICE_CLAIM_SECONDS = 60;

export function createTeamsStore(db: Db, log?: Logger, options: { claimSeconds?: number } = {}) {
  const claimSeconds = options.claimSeconds ?? NOTICE_CLAIM_SECONDS;
  /** Forgets the copies (and known approvers) of requests final for longer than `keepDays`; returns how many copies. */
  async function pruneCards(keepDays = CARD_KEEP_DAYS): Promise<number> {
    const cutoff = new Date(Date.now() - keepDays * 86_400_000).toISOString();
    const gone = await db.query<{ request_id: string }>(
      'delete from teams_cards where final_at < $1 returning request_id',
      [cutoff],
    );
    const ids = [...new Set(gone.map((r) => r.request_id))];
    if (ids.length)
      await db.query(
        'delete from teams_request_approvers where request_id = any($1) and not exists (select 1 from teams_cards c where c.request_id = teams_request_approvers.request_id)',
        [ids],
      );
    return gone.length;
  }

  return {
    /** Adds or updates what we know; a missing field never erases a known one. */
    async saveUser(
      user: Partial<TeamsUser> & Pick<TeamsUser, 'tenantId' | 'aadObjectId'> & { fromProfile?: boolean },
    ): Promise<void> {
      await db.query(
        `insert into teams_users (tenant_id, aad_object_id, email, name, conversation_id, service_url, user_id, upn, profile_at, time_zone, locale)
         values ($1, $2, $3, $4, $5, $6, $7, $8, case when $9 then now() end, $10, $11)
         on conflict (tenant_id, aad_object_id) do update set
           time_zone = coalesce(excluded.time_zone, teams_users.time_zone),
           locale = coalesce(excluded.locale, teams_users.locale),
           email = coalesce(excluded.email, teams_users.email),
           upn = coalesce(excluded.upn, teams_users.upn),
           profile_at = coalesce(excluded.profile_at, teams_users.profile_at),
           name = coalesce(excluded.name, teams_users.name),
           user_id = coalesce(excluded.user_id, teams_users.user_id),
           conversation_id = coalesce(excluded.conversation_id, teams_users.conversation_id),
           service_url = coalesce(excluded.service_url, teams_users.service_url),
           updated_at = now()`,
        [
          user.tenantId,
          user.aadObjectId,
          user.email?.toLowerCase() ?? null,
          user.name ?? null,
          user.conversationId ?? null,
          user.serviceUrl ?? null,
          user.userId ?? null,
          user.upn?.toLowerCase() ?? null,
          user.fromProfile === true,
          user.timeZone ?? null,
          user.locale ?? null,
        ],
      );
    },

    /** When Teams last told us this person's email and UPN (null: never). */
    async profileAt(tenantId: string, aadObjectId: string): Promise<Date | null> {
      const rows = await db.query<{ profile_at: unknown }>(
        'select profile_at from teams_users where tenant_id = $1 and aad_object_id = $2',
        [tenantId, aadObjectId],
      );
      const at = rows[0]?.profile_at;
      return at ? new Date(at as string) : null;
    },

    async user(tenantId: string, aadObjectId: string): Promise<TeamsUser | null> {
      const rows = await db.query('select * from teams_users where tenant_id = $1 and aad_object_id = $2', [
        tenantId,
        aadObjectId,
      ]);
      return rows[0] ? userOf(rows[0]) : null;
    },

    async userByEmail(email: string): Promise<TeamsUser | null> {
      const rows = await db.query(
        'select * from teams_users where email = $1 or upn = $1 order by conversation_id is null, updated_at desc limit 1',
        [email.toLowerCase()],
      );
      return rows[0] ? userOf(rows[0]) : null;
    },

    /** userByEmail for many at once, in one query: the person per email (those with a chat first). */
    async usersByEmail(emails: string[]): Promise<Map<string, TeamsUser>> {
      const wanted = [...new Set(emails.map((e) => e.toLowerCase()))];
      const found = new Map<string, TeamsUser>();
      if (!wanted.length) return found;
      const rows = await db.query(
        'select * from teams_users where email = any($1) or upn = any($1) order by conversation_id is null, updated_at desc',
        [wanted],
      );
      for (const row of rows)
        for (const key of [text(row.email), text(row.upn)])
          if (key && wanted.includes(key) && !found.has(key)) found.set(key, userOf(row));
      return found;
    },

    /** Any service URL Teams gave us for this tenant: needed to open a new 1:1 chat. */
    async serviceUrlFor(tenantId: string): Promise<string | null> {
      const rows = await db.query(
        'select service_url from teams_users where tenant_id = $1 and service_url is not null order by updated_at desc limit 1',
        [tenantId],
      );
      return text(rows[0]?.service_url);
    },

    /**
     * Records a copy to keep true. A message the connector gave no ID for cannot be updated later,
     * so there is nothing to record: it is logged, and the answer is false.
     */
    async saveCard(card: Omit<PostedCard, 'activityId'> & { activityId: string | null }): Promise<boolean> {
      if (!card.activityId) {
        log?.warn(
          { requestId: card.requestId, conversationId: card.conversationId },
          'the Bot Connector gave no ID for a posted card: that copy cannot be updated',
        );
        return false;
      }
      await db.query(
        // A copy saved after the request reached a final state (shared later, a requester's notice) ages with it.
        `insert into teams_cards (request_id, conversation_id, activity_id, service_url, tenant_id, personal, owner_object_id, slot, card, message_text, final_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, (select max(final_at) from teams_cards where request_id = $1))
         on conflict (conversation_id, activity_id, request_id) do update set service_url = excluded.service_url`,
        [
          card.requestId,
          card.conversationId,
          card.activityId,
          card.serviceUrl,
          card.tenantId,
          card.personal,
          card.ownerObjectId,
          card.batch?.slot ?? null,
          card.batch ? JSON.stringify(card.batch.card) : null,
          card.batch?.text ?? null,
        ],
      );
      return true;
    },

    async cardsFor(requestId: string): Promise<PostedCard[]> {
      const rows = await db.query('select * from teams_cards where request_id = $1 order by id', [requestId]);
      return rows.map(cardOf);
    },

    /** Whether this message was already known to show this request (before the action at hand). */
    async hasCopy(conversationId: string, activityId: string, requestId: string): Promise<boolean> {
      const rows = await db.query(
        'select 1 from teams_cards where conversation_id = $1 and activity_id = $2 and request_id = $3',
        [conversationId, activityId, requestId],
      );
      return rows.length > 0;
    },

    /** Whether the bot's own copy of the request is in this conversation. */
    async hasCopyIn(conversationId: string, requestId: string): Promise<boolean> {
      const rows = await db.query(
        'select 1 from teams_cards where conversation_id = $1 and request_id = $2 limit 1',
        [conversationId, requestId],
      );
      return rows.length > 0;
    },

    /** People who could read the request before: holders of its copies, then its known approvers. */
    async readersOf(requestId: string, limit = 5): Promise<Array<{ tenantId: string; aadObjectId: string }>> {
      const rows = await db.query<{ tenant_id: string; aad_object_id: string }>(
        `select tenant_id, owner_object_id as aad_object_id from teams_cards where request_id = $1
         union
         select tenant_id, aad_object_id from teams_request_approvers where request_id = $1
         limit $2`,
        [requestId, limit],
      );
      return rows.map((r) => ({ tenantId: r.tenant_id, aadObjectId: r.aad_object_id }));
    },

    /** Every slot of a message that holds several requests, in order. */
    async slotsOf(conversationId: string, activityId: string): Promise<PostedCard[]> {
      const rows = await db.query(
        'select * from teams_cards where conversation_id = $1 and activity_id = $2 and slot is not null order by slot',
        [conversationId, activityId],
      );
      return rows.map(cardOf);
    },

    /**
     * Claims a copy for an update showing the request as read at `version` (ms since the epoch):
     * false when the copy already shows a later read, which must not be overwritten.
     */
    async claimVersion(
      copy: Pick<PostedCard, 'conversationId' | 'activityId' | 'requestId'>,
      version: number,
    ) {
      const rows = await db.query(
        `update teams_cards set shown_version = $4
          where conversation_id = $1 and activity_id = $2 and request_id = $3
            and (shown_version is null or shown_version <= $4) returning 1`,
        [copy.conversationId, copy.activityId, copy.requestId, version],
      );
      return rows.length > 0;
    },

    /** What one slot of such a message shows now. */
    async setSlotCard(copy: PostedCard, card: unknown): Promise<void> {
      await db.query(
        'update teams_cards set card = $4 where conversation_id = $1 and activity_id = $2 and request_id = $3',
        [copy.conversationId, copy.activityId, copy.requestId, JSON.stringify(card)],
      );
    },

    /**
     * The request reached a final state (decided, expired, failed): its copies start to age, from the
     * first time only. Then every copy of requests final for longer than `keepDays` is forgotten.
     */
    async markFinal(requestId: string, keepDays = CARD_KEEP_DAYS): Promise<number> {
      await db.query('update teams_cards set final_at = now() where request_id = $1 and final_at is null', [
        requestId,
      ]);
      return pruneCards(keepDays);
    },

    pruneCards,

    /** People with a 1:1 chat with the bot, most recently seen first: who may be asked about a new request. */
    async reachableUsers(limit = MAX_FALLBACK_APPROVERS): Promise<TeamsUser[]> {
      const rows = await db.query(
        'select * from teams_users where conversation_id is not null and service_url is not null order by updated_at desc limit $1',
        [limit],
      );
      return rows.map(userOf);
    },

    async addApprover(requestId: string, tenantId: string, aadObjectId: string): Promise<void> {
      await db.query(
        'insert into teams_request_approvers (request_id, tenant_id, aad_object_id) values ($1, $2, $3) on conflict do nothing',
        [requestId, tenantId, aadObjectId],
      );
    },

    /**
     * The approvers of a request as Teams user MRIs, for `refresh.userIds`: the 29: ID Teams gave in
     * an activity from them when we have one, else the Entra form `8:orgid:<object ID>`.
     */
    async approverMrisOf(requestId: string): Promise<string[]> {
      const rows = await db.query(
        `select a.aad_object_id, u.user_id from teams_request_approvers a
           left join teams_users u on u.tenant_id = a.tenant_id and u.aad_object_id = a.aad_object_id
          where a.request_id = $1 order by a.added_at, a.aad_object_id limit 60`,
        [requestId],
      );
      return rows.map((r) => mriOf(String(r.aad_object_id), text(r.user_id)));
    },

    /** Lets a notice that could not be delivered be tried again by a later event. */
    async forgetNotice(requestId: string, kind: string): Promise<void> {
      await db.query('delete from teams_notices where request_id = $1 and kind = $2', [requestId, kind]);
    },

    /** The notices of a request sent, or being sent now (kinds such as "approver:<object ID>"). */
    async noticesFor(requestId: string): Promise<Set<string>> {
      const rows = await db.query<{ kind: string }>(
        `select kind from teams_notices where request_id = $1
           and (sent_at is not null or claimed_at >= now() - make_interval(secs => $2))`,
        [requestId, claimSeconds],
      );
      return new Set(rows.map((r) => r.kind));
    },

    /**
     * Notices claimed but not marked sent, by a claim still within its lease: another attempt is
     * sending them now, or died mid-send (its claim is taken over once the lease runs out).
     */
    async heldNotices(requestId: string): Promise<Set<string>> {
      const rows = await db.query<{ kind: string }>(
        `select kind from teams_notices where request_id = $1
           and sent_at is null and claimed_at >= now() - make_interval(secs => $2)`,
        [requestId, claimSeconds],
      );
      return new Set(rows.map((r) => r.kind));
    },

    /** The claimed notice reached Teams. */
    async noticeSent(requestId: string, kind: string): Promise<void> {
      await db.query('update teams_notices set sent_at = now() where request_id = $1 and kind = $2', [
        requestId,
        kind,
      ]);
    },

    /** An approver the bot could not reach for a request: counted, and listed for admins. */
    async markUnreachable(email: string, requestId: string, reason: string): Promise<void> {
      await db.query(
        `insert into teams_unreachable (email, reason, request_id) values ($1, $2, $3)
         on conflict (email) do update set reason = excluded.reason, request_id = excluded.request_id,
           attempts = teams_unreachable.attempts + 1, last_at = now()`,
        [email.toLowerCase(), reason, requestId],
      );
    },

    /** The person was reached after all: no longer listed. */
    async markReached(emails: Array<string | null>): Promise<void> {
      const known = emails.filter((e): e is string => !!e).map((e) => e.toLowerCase());
      if (known.length) await db.query('delete from teams_unreachable where email = any($1)', [known]);
    },

    async unreachable(limit = 500): Promise<UnreachablePerson[]> {
      const rows = await db.query('select * from teams_unreachable order by last_at desc limit $1', [limit]);
      return rows.map((r) => ({
        email: String(r.email),
        reason: String(r.reason),
        requestId: String(r.request_id),
        attempts: Number(r.attempts),
        firstAt: new Date(r.first_at as string).toISOString(),
        lastAt: new Date(r.last_at as string).toISOString(),
      }));
    },

    /**
     * Claims a notice: true for whoever may send it now. False when it was sent, or when someone
     * else claimed it less than a lease ago (a claim older than that was left by a crash).
     */
    async firstNotice(requestId: string, kind: string): Promise<boolean> {
      const rows = await db.query(
        `insert into teams_notices (request_id, kind) values ($1, $2)
         on conflict (request_id, kind) do update set claimed_at = now()
           where teams_notices.sent_at is null and teams_notices.claimed_at < now() - make_interval(secs => $3)
         returning request_id`,
        [requestId, kind, claimSeconds],
      );
      return rows.length > 0;
    },
  };
}

export type TeamsStore = ReturnType<typeof createTeamsStore>;
