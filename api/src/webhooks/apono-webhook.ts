// Apono's Request Webhook. Its body is a template an Apono admin writes, so only a request ID
// (data.friendly_id or data.id) is required and everything else is a hint; any event type is
// accepted, including ones Apono has not published. It is a signal, never the truth: we
// de-duplicate it, then listeners re-read the request from Apono before acting.
import { isRequestId } from '@apono-teams/domain/request-id.js';
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import { AppError } from '../http/errors.js';
import { refuseUnsafeJson } from '../http/validate.js';
import type { Logger } from '../log.js';
import type { Delivery } from '../delivery/queue.js';
import type { RequestChanged } from '../requests/events.js';
import { approverStatus, createRequestRecords, type DeliveredFacts } from '../requests/records.js';
import type { RequestService } from '../requests/service.js';
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

/**
 * The most approver entries read from one delivery. Apono's schema reference gives approvals[] per
 * approver, and no access flow a person configures has more; a body naming thousands (a broken or
 * hostile template) would otherwise become thousands of lookups and Apono reads. Those past the cap
 * are logged, and still see the request in the tab.
 */
export const MAX_WEBHOOK_APPROVERS = 200;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null;
const idOf = (v: unknown): string | null => {
  const id = str(v);
  return isRequestId(id) ? id : null;
};

/** "AccessRequestCreated" (the docs' example) and "RequestCreated" (the trigger name) are one event;
 * an event this app has never seen is kept as sent (Apono does not publish the full list). */
export function normalizeEvent(name: string | null): string | null {
  if (!name) return null;
  const short = name.replace(/^Access(?=Request)/, '');
  return (TRIGGERS as readonly string[]).includes(short) ? short : null;
}

/**
 * Apono's event_time: "{seconds}.{nanos}" in the schema reference (a number in its example), as an
 * ISO time; an ISO string is taken as it is. Anything else is null.
 */
export function parseEventTime(value: unknown): string | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const epoch = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(text);
  if (epoch) {
    const ms = Number(epoch[1]) * 1000 + Math.floor(Number((epoch[2] ?? '0').padEnd(9, '0')) / 1e6);
    const at = new Date(ms);
    return Number.isNaN(at.getTime()) ? null : at.toISOString();
  }
  const parsed = text && /^\d{4}-\d\d-\d\dT/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

export interface WebhookSignal {
  /** The known trigger name, or the event type as sent ("unknown" when the template has none). */
  event: string;
  known: boolean;
  /** data.friendly_id (the ID in Apono's UI) and data.id (Apono's own); at least one is present. */
  friendlyId: string | null;
  internalId: string | null;
  eventTime: string | null;
  requesterEmail: string | null;
  approverEmails: string[];
  /** How many approver entries past MAX_WEBHOOK_APPROVERS were left unread. */
  approversCut: number;
  facts: DeliveredFacts;
}

export function readSignal(body: unknown): WebhookSignal | null {
  const root = obj(body);
  const data = obj(root.data ?? root.request ?? root);
  const named = str(root.event_type ?? root.event ?? root.type ?? root.trigger);
  const known = normalizeEvent(named);
  const friendlyId = idOf(data.friendly_id ?? root.friendly_id);
  const internalId = idOf(data.id ?? root.request_id ?? root.id);
  if (!friendlyId && !internalId) return null;
  const eventTime = parseEventTime(root.event_time);
  const sent = Array.isArray(data.approvals) ? data.approvals : [];
  const approvals = sent.slice(0, MAX_WEBHOOK_APPROVERS).map(obj);
  const approvers = approvals
    .filter((a) => str(a.name) && str(a.type))
    .map((a) => {
      const person = obj(a.approver);
      return {
        entry: str(a.name)!,
        kind: str(a.type)!,
        status: approverStatus(a.status),
        person: { name: str(person.name), email: str(person.email)?.toLowerCase() ?? null },
        at: eventTime,
      };
    });
  const approverEmails = approvals.map((a) => str(obj(a.approver).email)).filter((e): e is string => !!e);
  return {
    event: known ?? named ?? 'unknown',
    approversCut: Math.max(0, sent.length - MAX_WEBHOOK_APPROVERS),
    known: !!known,
    friendlyId,
    internalId: internalId === friendlyId ? null : internalId,
    eventTime,
    requesterEmail: str(obj(data.requester).email),
    approverEmails: [...new Set(approverEmails.map((e) => e.toLowerCase()))],
    facts: {
      friendlyId,
      internalId: internalId === friendlyId ? null : internalId,
      accessFlow: str(obj(data.access_flow).name),
      approvers,
    },
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface WebhookOptions {
  secret: string;
  db: Db;
  delivery: Delivery;
  log: Logger;
}

/** The durable inbox: each accepted delivery is a job here, committed with its de-duplication key. */
export const SIGNAL_QUEUE = 'apono-signal';

/**
 * The inbox's worker turns a stored delivery into the change to act on: it keeps what the delivery
 * told and learns the ID the client API uses (a read of Apono, which may fail and be retried).
 */
export function signalReader(db: Db, requests: Pick<RequestService, 'locate'>) {
  const records = createRequestRecords(db);
  return async (signal: WebhookSignal): Promise<RequestChanged> => {
    await records.remember(signal.facts);
    const ids = [signal.friendlyId, signal.internalId].filter((id): id is string => !!id);
    const canonical = await requests.locate(ids, [
      ...signal.approverEmails,
      ...(signal.requesterEmail ? [signal.requesterEmail.toLowerCase()] : []),
    ]);
    return {
      requestId: canonical ?? ids[0]!,
      source: signal.event,
      requesterEmail: signal.requesterEmail,
      approverEmails: signal.approverEmails,
    };
  };
}

export function webhookRoutes(options: WebhookOptions) {
  return (api: Router) => {
    const parse = [
      express.json({ limit: '256kb', type: () => true }),
      refuseUnsafeJson({ characters: true }),
    ];
    api.post('/apono/webhook', ...parse, async (req, res) => {
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
          'The webhook body needs the request ID: data.friendly_id or data.id (see the README for the template).',
        );
      }
      // Apono retries deliveries: the same event for the same request at the same time is handled once.
      const key = createHash('sha256')
        .update(
          `${signal.event}|${signal.friendlyId ?? ''}|${signal.internalId ?? ''}|${signal.eventTime ?? JSON.stringify(req.body)}`,
        )
        .digest('hex');
      // The delivery is kept, and queued, in the same commit as its key: once answered 202 it survives
      // a crash, and it is handled once across instances.
      const fresh = await options.db.transaction(async (tx) => {
        const rows = await tx.query(
          'insert into webhook_events (dedupe_key, event_type, request_id) values ($1, $2, $3) on conflict do nothing returning dedupe_key',
          [key, signal.event, signal.friendlyId ?? signal.internalId],
        );
        if (rows.length) await options.delivery.send(SIGNAL_QUEUE, key, signal, tx);
        return rows.length > 0;
      });
      if (!fresh) {
        res.status(200).json({ status: 'duplicate' });
        return;
      }
      const ids = { friendlyId: signal.friendlyId, internalId: signal.internalId };
      if (signal.known) options.log.info({ event: signal.event, ...ids }, 'apono webhook');
      else
        options.log.warn(
          { event: signal.event, ...ids },
          'apono webhook with an event type not seen before; re-reading the request',
        );
      if (signal.approversCut)
        options.log.warn(
          { ...ids, read: MAX_WEBHOOK_APPROVERS, cut: signal.approversCut },
          'the webhook names more approvers than are read from one delivery; the rest were left out',
        );
      res.status(202).json({ status: 'accepted' });
      options.delivery.nudge(SIGNAL_QUEUE);
    });
  };
}

/** Apono retries within minutes; a week of de-duplication keys is ample to recognise a repeat. */
export const webhookChore: Chore = {
  name: 'forget webhook de-duplication keys older than a week',
  sql: `delete from webhook_events where received_at < now() - interval '7 days'`,
};
