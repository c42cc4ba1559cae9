// Reminders (issue 10.4): a request still pending REMIND_AFTER after an approver got its card, and
// not acted on by them, is named in that approver's one reminder message, at most once per period,
// never in their quiet hours (in their own time zone: an activity's localTimezone, else
// DEFAULT_TIME_ZONE). The reminder message is updated in place, not posted anew each time.
import { escapeCardMarkdown as plain } from '@apono-teams/domain/card-text.js';
import { inQuietHours, type QuietHours } from '@apono-teams/domain/quiet-hours.js';
import { isWaiting } from '@apono-teams/domain/status.js';
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import type { Db } from '../store/db.js';
import { isChatGone } from './messenger.js';
import { noticeCard } from './request-card.js';
import type { TeamsServices } from './services.js';
import { wordsFor } from './words.js';

export interface ReminderDeps extends TeamsServices {
  db: Db;
  remindAfterMs: number;
  quietHours: QuietHours | null;
  defaultTimeZone: string;
  /** DEFAULT_LOCALE: the language of people whose Teams client has not told theirs yet. */
  defaultLocale?: string;
}

/** The most requests one reminder names; the Approvals tab has the rest. */
const MAX_LISTED = 10;

type Due = { request_id: string; tenant_id: string; aad_object_id: string };

export function createReminders(deps: ReminderDeps) {
  const { db, store, people, requests, messenger, log } = deps;

  /** Requests whose card reached an approver at least a period ago, not reminded within a period. */
  async function due(now: Date): Promise<Due[]> {
    const before = new Date(now.getTime() - deps.remindAfterMs).toISOString();
    return db.query<Due>(
      `select distinct c.request_id, c.tenant_id, c.owner_object_id as aad_object_id
         from teams_cards c
         join teams_notices n on n.request_id = c.request_id and n.kind = 'approver:' || c.owner_object_id
         left join teams_reminded r on r.request_id = c.request_id and r.aad_object_id = c.owner_object_id
        where c.personal and c.final_at is null and n.sent_at <= $1
          and (r.reminded_at is null or r.reminded_at <= $1)
        order by c.tenant_id, aad_object_id, c.request_id
        limit 2000`,
      [before],
    );
  }

  async function postOrUpdate(tenantId: string, aadObjectId: string, card: ReturnType<typeof noticeCard>) {
    const [last] = await db.query<{ conversation_id: string; activity_id: string; service_url: string }>(
      'select * from teams_reminders where tenant_id = $1 and aad_object_id = $2',
      [tenantId, aadObjectId],
    );
    if (last) {
      try {
        await messenger.updateCard(
          {
            serviceUrl: last.service_url,
            conversationId: last.conversation_id,
            activityId: last.activity_id,
          },
          card,
        );
        return true;
      } catch (err) {
        if (!isChatGone(err)) throw err; // the old one is gone: post a new one below
      }
    }
    const user = await store.user(tenantId, aadObjectId);
    if (!user?.conversationId || !user.serviceUrl) return false;
    const to = { serviceUrl: user.serviceUrl, conversationId: user.conversationId };
    const activityId = await messenger.sendCard(to, card, 'Requests are still waiting for your decision.');
    if (activityId)
      await db.query(
        `insert into teams_reminders (tenant_id, aad_object_id, conversation_id, activity_id, service_url)
         values ($1, $2, $3, $4, $5)
         on conflict (tenant_id, aad_object_id) do update set conversation_id = excluded.conversation_id,
           activity_id = excluded.activity_id, service_url = excluded.service_url, updated_at = now()`,
        [tenantId, aadObjectId, to.conversationId, activityId, to.serviceUrl],
      );
    return true;
  }

  return {
    /** Sends what is due at `now` (the clock is a parameter: tests choose it). Returns who was reminded. */
    async run(now: Date = new Date()): Promise<number> {
      const byPerson = new Map<string, Due[]>();
      for (const row of await due(now)) {
        const key = `${row.tenant_id}|${row.aad_object_id}`;
        byPerson.set(key, [...(byPerson.get(key) ?? []), row]);
      }
      let reminded = 0;
      for (const rows of byPerson.values()) {
        const { tenant_id: tenantId, aad_object_id: aadObjectId } = rows[0]!;
        const user = await store.user(tenantId, aadObjectId);
        if (inQuietHours(now, user?.timeZone ?? deps.defaultTimeZone, deps.quietHours)) continue;
        const caller = await people.callerFor(tenantId, aadObjectId);
        if (!caller) continue;
        const waiting: ApprovalRequest[] = [];
        for (const row of rows) {
          const request = await requests.get(caller, row.request_id).catch(() => null);
          // Decided by anyone, or acted on (or no longer theirs to decide): nothing to remind of.
          if (request && isWaiting(request.state) && request.viewer.canDecide) waiting.push(request);
        }
        if (!waiting.length) continue;
        // In their Teams language and zone, as their last activity told the bot.
        const w = wordsFor(
          user?.locale ?? deps.defaultLocale ?? 'en',
          user?.timeZone ?? deps.defaultTimeZone,
        );
        const lines = waiting
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
          .slice(0, MAX_LISTED)
          .map((r) =>
            w.t('reminder.line', {
              id: plain(r.displayId),
              requester: plain(r.requester.name),
              age: w.f.waited(r.createdAt, now),
            }),
          );
        if (waiting.length > MAX_LISTED)
          lines.push(w.t('reminder.more', { count: waiting.length - MAX_LISTED }));
        const card = noticeCard(w.t('reminder.title'), lines, 'Attention', w);
        try {
          if (!(await postOrUpdate(tenantId, aadObjectId, card))) continue;
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'could not send a reminder');
          continue;
        }
        for (const r of waiting)
          await db.query(
            `insert into teams_reminded (request_id, aad_object_id, reminded_at) values ($1, $2, $3)
             on conflict (request_id, aad_object_id) do update set reminded_at = excluded.reminded_at`,
            [r.id, aadObjectId, now.toISOString()],
          );
        reminded++;
      }
      return reminded;
    },
  };
}

export type Reminders = ReturnType<typeof createReminders>;
