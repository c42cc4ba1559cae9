// What this app knows about a request beyond Apono's client API: the ID pair a webhook delivery
// carried (friendly_id and id; which of them the client API's paths take is not published), the
// flow name and which approver entry named whom (docs.apono.io "Webhook Payload Schema Reference"),
// and the decisions made through this app (who, outcome, reason, when), which Apono does not return.
import type {
  AppDecision,
  ApproverStatus,
  Outcome,
  RequestFacts,
} from '@apono-teams/domain/approval-request.js';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../identity/tokens.js';
import type { Db } from '../store/db.js';

type About = { facts: RequestFacts | null; decisions: AppDecision[] };

/**
 * How long the pending list reuses what about() found for a request: it is read again and again, and
 * these rows change only with a decision or a webhook. Every write here that changes them (facts, IDs,
 * an accepted decision) forgets them all at once;
 * another instance's writes (and the decision sweep's) show within this time.
 */
export const ABOUT_CACHE_MS = 5_000;

/** Per database, so the webhook's records and the request service's share one memory. */
const remembered = new WeakMap<object, { about: LRUCache<string, About>; changes: number }>();
function memoryOf(db: object) {
  let memory = remembered.get(db);
  if (!memory)
    remembered.set(db, (memory = { about: new LRUCache({ max: 100_000, ttl: ABOUT_CACHE_MS }), changes: 0 }));
  return memory;
}

export interface DeliveredFacts {
  friendlyId: string | null;
  internalId: string | null;
  accessFlow: string | null;
  approvers: NonNullable<RequestFacts['approvers']>;
}

interface FactsRow {
  key: string;
  friendly_id: string | null;
  internal_id: string | null;
  canonical_id: string | null;
  access_flow: string | null;
  approvers: unknown;
}

type Hint = NonNullable<RequestFacts['approvers']>[number];

const parsed = (v: unknown): Hint[] => {
  const value = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  return Array.isArray(value) ? (value as Hint[]) : [];
};
const iso = (v: unknown): string => new Date(v as string | Date).toISOString();
const uniq = (ids: Array<string | null | undefined>): string[] => [
  ...new Set(ids.filter((id): id is string => !!id)),
];

/** A later delivery updates an entry's status; the person it named is kept until another is named. */
function mergeHints(old: Hint[], fresh: Hint[]): Hint[] {
  const same = (a: Hint, b: Hint) => a.entry === b.entry && a.kind.toLowerCase() === b.kind.toLowerCase();
  const merged = old.map((o) => {
    const n = fresh.find((f) => same(f, o));
    if (!n) return o;
    const named = !!(n.person.email || n.person.name);
    return {
      ...o,
      status: n.status ?? o.status,
      person: named ? n.person : o.person,
      at: named ? n.at : o.at,
    };
  });
  return [...merged, ...fresh.filter((f) => !old.some((o) => same(o, f)))];
}

/** The attempt a decision's intent row records, for what commits together with it. */
export interface DecisionIntent {
  id: number;
  requestId: string;
  outcome: Outcome;
}
type IntentHook = (tx: Pick<Db, 'query'>, intent: DecisionIntent) => Promise<void>;
/** Per database, like the memory above: set once by whoever queues a decision's follow-up work. */
const intentHooks = new WeakMap<object, IntentHook>();

/**
 * Work that must be committed in the same transaction as each decision's intent row (issue 10.2: the
 * job that updates the cards and tells the requester), so a process killed right after Apono accepted
 * the decision still leaves that job behind.
 */
export function onDecisionIntent(db: object, hook: IntentHook): void {
  intentHooks.set(db, hook);
}

export function createRequestRecords(db: Pick<Db, 'query'>) {
  const memory = memoryOf(db);
  /** After any write: nothing read before it is reused, nor remembered from a read that began before it. */
  const forget = () => {
    memory.changes++;
    memory.about.clear();
  };
  const writing = async <T>(write: Promise<T>): Promise<T> => {
    try {
      return await write;
    } finally {
      forget();
    }
  };
  const rowFor = async (id: string): Promise<FactsRow | null> =>
    (
      await db.query<FactsRow>(
        `select * from apono_requests where $1 in (key, friendly_id, internal_id, canonical_id)
         order by canonical_id is null limit 1`,
        [id],
      )
    )[0] ?? null;

  /**
   * Apono answered `asked` with a request whose `id` is `canonical`: remember the pair. Every read of
   * a request whose pair is known says so again, and changes nothing: then what was read is kept.
   */
  async function confirm(asked: string, canonical: string): Promise<void> {
    let changed = true;
    try {
      const rows = await db.query(
        `update apono_requests set canonical_id = $2, updated_at = now()
       where ($1 in (key, friendly_id, internal_id) or $2 in (friendly_id, internal_id))
         and canonical_id is distinct from $2
       returning key`,
        [asked, canonical],
      );
      changed = rows.length > 0;
    } finally {
      if (changed) forget();
    }
  }

  return {
    confirm,
    forget,

    /** Keeps what a webhook delivery said. The row is keyed by the friendly ID when it has one. */
    async remember(facts: DeliveredFacts): Promise<void> {
      const key = facts.friendlyId ?? facts.internalId;
      if (!key) return;
      const existing = await rowFor(key);
      const approvers = mergeHints(existing ? parsed(existing.approvers) : [], facts.approvers);
      await writing(
        db.query(
          `insert into apono_requests (key, friendly_id, internal_id, access_flow, approvers) values ($1, $2, $3, $4, $5)
         on conflict (key) do update set
           friendly_id = coalesce(excluded.friendly_id, apono_requests.friendly_id),
           internal_id = coalesce(excluded.internal_id, apono_requests.internal_id),
           access_flow = coalesce(excluded.access_flow, apono_requests.access_flow),
           approvers = excluded.approvers, updated_at = now()`,
          [
            existing?.key ?? key,
            facts.friendlyId,
            facts.internalId,
            facts.accessFlow,
            JSON.stringify(approvers),
          ],
        ),
      );
    },

    /** IDs to try for a request, best first: the one Apono answered to before, then the friendly ID, then Apono's own. */
    async candidates(id: string): Promise<string[]> {
      const row = await rowFor(id);
      return row ? uniq([row.canonical_id, row.friendly_id, row.internal_id, id]) : [id];
    },

    /** The canonical ID when known (no Apono call). */
    async canonicalOf(id: string): Promise<string | null> {
      return (await rowFor(id))?.canonical_id ?? null;
    },

    /** Facts and this app's accepted decisions for requests known by their canonical IDs. */
    async about(ids: string[]): Promise<Map<string, About>> {
      const out = new Map<string, About>();
      for (const id of ids) out.set(id, { facts: null, decisions: [] });
      const rows = await db.query<FactsRow>(
        `select * from apono_requests
         where canonical_id = any($1) or friendly_id = any($1) or internal_id = any($1)`,
        [ids],
      );
      for (const row of rows) {
        const id =
          ids.find((i) => i === row.canonical_id) ??
          ids.find((i) => i === row.friendly_id || i === row.internal_id);
        if (!id) continue;
        // Listed by Apono under this ID: it is the one the client API uses.
        if (row.canonical_id !== id) await confirm(id, id);
        out.get(id)!.facts = {
          friendlyId: row.friendly_id,
          accessFlow: row.access_flow,
          approvers: parsed(row.approvers),
        };
      }
      const decisions = await db.query<{
        request_id: string;
        name: string;
        email: string | null;
        outcome: Outcome;
        reason: string | null;
        decided_at: unknown;
      }>(
        `select request_id, name, email, outcome, reason, decided_at from app_decisions
         where request_id = any($1) and state = 'accepted' order by decided_at, id`,
        [ids],
      );
      for (const d of decisions)
        out.get(d.request_id)?.decisions.push({
          outcome: d.outcome,
          by: { name: d.name, email: d.email },
          reason: d.reason,
          at: iso(d.decided_at),
        });
      return out;
    },

    /**
     * about(), reusing what it found in the last ABOUT_CACHE_MS unless something was written since: for
     * the pending list, read again and again. A single request's read always asks the database.
     */
    async recentAbout(wanted: string[]): Promise<Map<string, About>> {
      const found = new Map<string, About>();
      const ids = wanted.filter((id) => {
        const known = memory.about.get(id);
        if (known) found.set(id, known);
        return !known;
      });
      if (!ids.length) return found;
      const before = memory.changes;
      const fresh = await this.about(ids);
      for (const [id, about] of fresh) {
        if (memory.changes === before) memory.about.set(id, about);
        found.set(id, about);
      }
      return found;
    },

    /** Written before the decision is sent, so a lost answer can still be told apart from no attempt. */
    async intend(
      requestId: string,
      caller: Caller,
      outcome: Outcome,
      reason: string | null,
    ): Promise<number> {
      const insert = async (q: Pick<Db, 'query'>) => {
        const [row] = await q.query<{ id: number | string }>(
          `insert into app_decisions (request_id, tenant_id, object_id, name, email, outcome, reason, state)
           values ($1, $2, $3, $4, $5, $6, $7, 'sent') returning id`,
          [requestId, caller.tenantId, caller.objectId, caller.name, caller.email, outcome, reason],
        );
        return Number(row!.id);
      };
      const hook = intentHooks.get(db);
      if (!hook || !('transaction' in db)) return insert(db);
      return (db as Db).transaction(async (tx) => {
        const id = await insert(tx);
        await hook(tx, { id, requestId, outcome });
        return id;
      });
    },

    /** This person's latest attempt with this outcome that was sent but never seen answered. */
    async attempt(requestId: string, email: string, outcome: Outcome): Promise<number | null> {
      const [row] = await db.query<{ id: number | string }>(
        `select id from app_decisions where request_id = $1 and lower(email) = lower($2) and outcome = $3
           and state = 'sent' order by id desc limit 1`,
        [requestId, email, outcome],
      );
      return row ? Number(row.id) : null;
    },

    async accepted(id: number): Promise<void> {
      await writing(
        db.query(
          `update app_decisions set state = 'accepted', decided_at = now() where id = $1 and state <> 'accepted'`,
          [id],
        ),
      );
    },

    /** Apono said no, or the attempt surely did not reach it. */
    async dropped(id: number): Promise<void> {
      await db.query(`delete from app_decisions where id = $1 and state = 'sent'`, [id]);
    },
  };
}

export type RequestRecords = ReturnType<typeof createRequestRecords>;

/** Tells apart the approver statuses a delivery may carry. */
export function approverStatus(value: unknown): ApproverStatus | null {
  return value === 'Approved' || value === 'Rejected' || value === 'Pending' ? value : null;
}
