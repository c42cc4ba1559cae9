// Apono's Request Webhook. Its body is a template an Apono admin writes, so only the event type and
// the request ID are required and everything else is a hint. It is a signal, never the truth: we
// de-duplicate it, then listeners re-read the request from Apono before acting.
import { isRequestId } from '@apono-teams/domain/request-id.js';
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import { AppError } from '../http/errors.js';
import type { Logger } from '../log.js';
import type { RequestEvents } from '../requests/events.js';
import type { Db } from '../store/db.js';
import type { Chore } from '../store/housekeeping.js';

export const TRIGGERS = [
  'RequestCreated',
  'RequestApproved',
  'RequestRejected',
  'RequestGranted',
  'RequestExpired',
  'RequestFailed',
] as const;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null;

/** "AccessRequestCreated" (the docs' example) and "RequestCreated" (the trigger name) are one event. */
export function normalizeEvent(name: string | null): string | null {
  if (!name) return null;
  const short = name.replace(/^Access(?=Request)/, '');
  return (TRIGGERS as readonly string[]).includes(short) ? short : null;
}

export interface WebhookSignal {
  event: string;
  requestId: string;
  eventTime: string | null;
  requesterEmail: string | null;
  approverEmails: string[];
}

export function readSignal(body: unknown): WebhookSignal | null {
  const root = obj(body);
  const data = obj(root.data ?? root.request ?? root);
  const event = normalizeEvent(str(root.event_type ?? root.event ?? root.type ?? root.trigger));
  const requestId = str(data.friendly_id ?? data.id ?? root.request_id ?? root.id);
  if (!event || !isRequestId(requestId)) return null;
  const approvals = Array.isArray(data.approvals) ? data.approvals : [];
  const approverEmails = approvals
    .map((a) => str(obj(obj(a).approver).email))
    .filter((e): e is string => !!e);
  return {
    event,
    requestId,
    eventTime: str(root.event_time),
    requesterEmail: str(obj(data.requester).email),
    approverEmails: [...new Set(approverEmails.map((e) => e.toLowerCase()))],
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function webhookRoutes(options: { secret: string; db: Db; events: RequestEvents; log: Logger }) {
  return (api: Router) => {
    api.post('/apono/webhook', express.json({ limit: '256kb', type: () => true }), async (req, res) => {
      const header = req.get('authorization') ?? '';
      const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
      if (!given || !sameSecret(given, options.secret)) {
        throw new AppError(
          'unauthenticated',
          'The webhook Authorization header is missing or wrong. Set it to "Bearer <APONO_WEBHOOK_SECRET>" in Apono.',
          undefined,
          { 'WWW-Authenticate': 'Bearer' },
        );
      }
      const signal = readSignal(req.body);
      if (!signal) {
        throw new AppError(
          'bad_request',
          `The webhook body needs an event type (one of ${TRIGGERS.join(', ')}) and the request ID (data.id).`,
        );
      }
      // Apono retries deliveries: the same event for the same request at the same time is handled once.
      const key = createHash('sha256')
        .update(`${signal.event}|${signal.requestId}|${signal.eventTime ?? JSON.stringify(req.body)}`)
        .digest('hex');
      const fresh = await options.db.query(
        'insert into webhook_events (dedupe_key, event_type, request_id) values ($1, $2, $3) on conflict do nothing returning dedupe_key',
        [key, signal.event, signal.requestId],
      );
      if (!fresh.length) {
        res.status(200).json({ status: 'duplicate' });
        return;
      }
      options.log.info({ event: signal.event, requestId: signal.requestId }, 'apono webhook');
      res.status(202).json({ status: 'accepted' });
      options.events.emit('changed', {
        requestId: signal.requestId,
        source: signal.event,
        requesterEmail: signal.requesterEmail,
        approverEmails: signal.approverEmails,
      });
    });
  };
}

/** Apono retries within minutes; a week of de-duplication keys is ample to recognise a repeat. */
export const webhookChore: Chore = {
  name: 'forget webhook de-duplication keys older than a week',
  sql: `delete from webhook_events where received_at < now() - interval '7 days'`,
};
