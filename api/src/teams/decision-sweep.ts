// A decision made through the app is written down before it is sent to Apono (app_decisions, state
// "sent") and marked accepted once Apono answers; that answer is what queues the card updates and
// the requester's notice. An instance that dies in between leaves the row "sent": this sweep, run
// every minute across instances, reads such a request again as the person who decided, and when
// Apono shows their decision, marks it accepted and updates every card and tells the requester.
import type { Outcome } from '@apono-teams/domain/approval-request.js';
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
  /** Attempts younger than this are still in flight on a live instance (far above Apono's timeout). */
  graceMs: number;
}

export function createDecisionSweep(deps: SweepDeps) {
  const { db, log } = deps;
  return {
    /** Handles what is left over at `now` (tests choose the time); returns how many were recovered. */
    async run(now: Date = new Date()): Promise<number> {
      const cutoff = new Date(now.getTime() - deps.graceMs).toISOString();
      const left = await db.query<Attempt>(
        `select id::text as id, request_id, tenant_id, object_id, name, email, outcome, reason
           from app_decisions where state = 'sent' and decided_at <= $1 order by id limit 100`,
        [cutoff],
      );
      let recovered = 0;
      for (const attempt of left) {
        if (!attempt.email) continue;
        const caller: Caller = {
          tenantId: attempt.tenant_id,
          objectId: attempt.object_id,
          name: attempt.name,
          email: attempt.email,
        };
        const request = await deps.requests.get(caller, attempt.request_id).catch(() => null);
        if (!request) continue; // Apono cannot be read now: the next sweep tries again
        if (!attemptLanded(request, attempt.outcome)) {
          // It never reached Apono (or Apono refused it): nothing was decided, so nothing to tell.
          if (request.viewer.canDecide || !isWaiting(request.state))
            await db.query(`delete from app_decisions where id = $1 and state = 'sent'`, [attempt.id]);
          continue;
        }
        // Claimed by one instance: whoever turns it to accepted tells the cards.
        const claimed = await db.query(
          `update app_decisions set state = 'accepted', decided_at = now() where id = $1 and state = 'sent' returning id`,
          [attempt.id],
        );
        if (!claimed.length) continue;
        log.info(
          { requestId: request.id },
          'a decision Apono accepted was never seen answered: updating its cards now',
        );
        // Read again now that it is recorded as made here, so the cards say so (not "in Apono").
        const recorded = await deps.requests.get(caller, attempt.request_id).catch(() => request);
        await deps.onDecided({
          request: recorded,
          outcome: attempt.outcome,
          reason: attempt.reason,
          decidedBy: caller,
          readAt: Date.now(),
        });
        recovered++;
      }
      return recovered;
    },
  };
}

export type DecisionSweep = ReturnType<typeof createDecisionSweep>;
