// A decision made through the app is written down before it is sent to Apono (app_decisions, state
// "sent") and marked accepted once Apono answers; that answer is what queues the card updates and
// the requester's notice. An instance that dies in between leaves the row "sent", and with it the
// check job committed in the same transaction (DECISION_CHECK_QUEUE, due after the grace): it reads
// the request again as the person who decided, and when Apono shows their decision, marks it
// accepted and updates every card and tells the requester. The sweep, run every minute across
// instances, does the same for any row left "sent" (a job lost to a sandbox reset or a dead letter).
import type { ApprovalRequest, Outcome } from '@apono-teams/domain/approval-request.js';
import { attemptLanded } from '@apono-teams/domain/attempt.js';
import { isWaiting } from '@apono-teams/domain/status.js';
import type { Caller } from '../identity/tokens.js';
import type { RequestDecided } from '../requests/events.js';
import type { RequestService } from '../requests/service.js';
import type { Db } from '../store/db.js';
import type { Logger } from '../log.js';

interface Attempt {
  id: string;
  request_id: string;
  tenant_id: string;
  object_id: string;
  name: string;
  email: string | null;
  outcome: Outcome;
  reason: string | null;
}

export interface SweepDeps {
  db: Db;
  requests: Pick<RequestService, 'get'>;
  log: Logger;
  /** What a decision's job does: update every copy, tell the requester. */
  onDecided: (event: RequestDecided) => Promise<void>;
  /** Whether the live path queued that job (the 'decided' event of this request and outcome). */
  decidedQueued: (requestId: string, outcome: Outcome) => Promise<boolean>;
  /** Attempts younger than this are still in flight on a live instance (far above Apono's timeout). */
  graceMs: number;
}

/** The job queued with each decision's intent row, run once its grace has passed. */
export const DECISION_CHECK_QUEUE = 'decision-check';

const ATTEMPT_COLUMNS = `id::text as id, request_id, tenant_id, object_id, name, email, outcome, reason`;

export function createDecisionSweep(deps: SweepDeps) {
  const { db, log } = deps;

  const callerOf = (attempt: Attempt): Caller => ({
    tenantId: attempt.tenant_id,
    objectId: attempt.object_id,
    name: attempt.name,
    email: attempt.email!,
  });

  /** Tells the cards and the requester, from the request as read now that it is recorded as made here. */
  async function tell(attempt: Attempt, fallback: ApprovalRequest | null): Promise<void> {
    const caller = callerOf(attempt);
    const recorded = await deps.requests.get(caller, attempt.request_id).catch(() => fallback);
    if (!recorded) throw new Error(`Apono cannot be read as the decider of ${attempt.request_id} now`);
    await deps.onDecided({
      request: recorded,
      outcome: attempt.outcome,
      reason: attempt.reason,
      decidedBy: caller,
      readAt: Date.now(),
    });
  }

  /**
   * One attempt left "sent": true when Apono shows it landed and this instance turned it accepted and
   * told the cards; null when Apono cannot be read now (try again later).
   */
  async function recover(attempt: Attempt): Promise<boolean | null> {
    const request = await deps.requests.get(callerOf(attempt), attempt.request_id).catch(() => null);
    if (!request) return null;
    if (!attemptLanded(request, attempt.outcome)) {
      // It never reached Apono (or Apono refused it): nothing was decided, so nothing to tell.
      if (request.viewer.canDecide || !isWaiting(request.state))
        await db.query(`delete from app_decisions where id = $1 and state = 'sent'`, [attempt.id]);
      return false;
    }
    // Claimed by one instance: whoever turns it to accepted tells the cards.
    const claimed = await db.query(
      `update app_decisions set state = 'accepted', decided_at = now() where id = $1 and state = 'sent' returning id`,
      [attempt.id],
    );
    if (!claimed.length) return false;
    log.info(
      { requestId: request.id },
      'a decision Apono accepted was never seen answered: updating its cards now',
    );
    await tell(attempt, request);
    return true;
  }

  return {
    /** Handles what is left over at `now` (tests choose the time); returns how many were recovered. */
    async run(now: Date = new Date()): Promise<number> {
      const cutoff = new Date(now.getTime() - deps.graceMs).toISOString();
      const left = await db.query<Attempt>(
        `select ${ATTEMPT_COLUMNS} from app_decisions where state = 'sent' and decided_at <= $1 order by id limit 100`,
        [cutoff],
      );
      let recovered = 0;
      // Apono cannot be read now (null): the next sweep tries again.
      for (const attempt of left) if (attempt.email && (await recover(attempt))) recovered++;
      return recovered;
    },

    /**
     * The job committed with one decision's intent row, run after the grace: an attempt still "sent"
     * is recovered as the sweep would; one accepted whose 'decided' job was never queued (the process
     * died in between) is told now. A throw retries the job later.
     */
    async check(attemptId: number): Promise<void> {
      const [attempt] = await db.query<Attempt & { state: string }>(
        `select ${ATTEMPT_COLUMNS}, state from app_decisions where id = $1`,
        [attemptId],
      );
      if (!attempt?.email) return; // dropped: Apono refused it, or it never reached Apono
      if (attempt.state === 'sent') {
        if ((await recover(attempt)) === null)
          throw new Error(`Apono cannot be read as the decider of ${attempt.request_id} now`);
        return;
      }
      if (await deps.decidedQueued(attempt.request_id, attempt.outcome)) return;
      log.info(
        { requestId: attempt.request_id },
        'a decision was recorded but its cards were never queued: updating them now',
      );
      await tell(attempt, null);
    },
  };
}

export type DecisionSweep = ReturnType<typeof createDecisionSweep>;
