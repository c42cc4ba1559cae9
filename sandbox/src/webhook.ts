// Apono's outgoing Request Webhook: the payload of docs.apono.io "Webhook Payload Schema Reference"
// (event_type, event_time as "{seconds}.{nanos}", data with both IDs and approvals[].approver, and no
// status or reason field), a static bearer header, sent fire-and-forget (short timeout, one retry)
// so a slow receiver never holds up a decision.
import { findFlow, findIntegration, findResource } from './catalog.js';
import type { ApproverEntry, RequestRecord } from './model.js';
import { revocationTime } from './present.js';
import { findUser } from './users.js';

/** The docs' form of the triggers RequestCreated, RequestApproved, ... RequestFailed. */
export type WebhookEvent =
  | 'AccessRequestCreated'
  | 'AccessRequestApproved'
  | 'AccessRequestRejected'
  | 'AccessRequestGranted'
  | 'AccessRequestExpired'
  | 'AccessRequestFailed';

export interface WebhookConfig {
  url: string;
  bearerSecret: string;
}

export interface WebhookDelivery {
  event: WebhookEvent;
  /** The internal ID (`data.id`). */
  requestId: string;
  friendlyId: string;
  ok: boolean;
  attempts: number;
  status: number | null;
}

const person = (email: string) => {
  const user = findUser(email);
  return { id: user?.id ?? email, name: user?.name ?? email, email };
};

/** "{seconds}.{nanos}", nanos in 9 digits: 1796263265.851000000. */
export function eventTimeOf(epochMs: number): string {
  const ms = Math.floor(epochMs);
  const seconds = Math.floor(ms / 1000);
  return `${seconds}.${String((ms - seconds * 1000) * 1_000_000).padStart(9, '0')}`;
}

/** A user entry names its user; a decided entry, the person who decided it; else nobody. */
function approverOf(entry: ApproverEntry) {
  if (entry.userEmail) return person(entry.userEmail);
  return entry.decision ? person(entry.decision.byEmail) : null;
}

export function webhookPayload(event: WebhookEvent, request: RequestRecord, eventTimeMs: number) {
  const requester = person(request.requesterEmail);
  const flow = findFlow(request.flowId);
  return {
    event_type: event,
    event_time: eventTimeOf(eventTimeMs),
    data: {
      id: request.internalId,
      friendly_id: request.friendlyId,
      requester,
      grantee: { id: requester.id, source_id: requester.email, name: requester.name, type: 'user' },
      justification: request.justification,
      creation_date: request.createdAt,
      revocation_date: revocationTime(request),
      access_flow: { id: request.flowId, name: flow?.name ?? request.flowId },
      access_bundle: null,
      access_duration_in_seconds: request.durationSeconds,
      access_groups: request.accessGroups.map((g) => {
        const integration = findIntegration(g.integrationId);
        return {
          integration: { id: g.integrationId, type: integration?.type, name: integration?.name },
          resource_types: integration
            ? [
                {
                  id: integration.resourceType.id,
                  name: integration.resourceType.name,
                  display_path: `${integration.typeDisplayName}/${integration.resourceType.name}`,
                },
              ]
            : [],
          access_units: g.units.map((u) => {
            const name = findResource(u.resourceId)?.name ?? u.resourceId;
            return {
              resource: {
                id: u.resourceId,
                name,
                path: `${integration?.name}/${name}`,
                type: { id: integration?.resourceType.id, name: integration?.resourceType.name },
              },
              permission: { id: `perm-${u.permission}`, name: u.permission },
            };
          }),
        };
      }),
      approvals_logical_relation: flow?.relation ?? 'AnyOf',
      approvals: request.approvers.map((a) => ({
        name: a.name,
        type: a.kind,
        status: a.status,
        approver: approverOf(a),
      })),
      custom_fields: {},
    },
  };
}

export class WebhookSender {
  private readonly inFlight = new Set<Promise<WebhookDelivery>>();
  readonly deliveries: WebhookDelivery[] = [];

  constructor(
    private config: WebhookConfig | null = null,
    private readonly timeoutMs = 2000,
  ) {}

  configure(config: WebhookConfig | null): void {
    this.config = config;
  }

  /** Never throws and never awaits: the caller goes on at once. */
  send(event: WebhookEvent, request: RequestRecord, eventTimeMs: number): void {
    const config = this.config;
    if (!config) return;
    const body = JSON.stringify(webhookPayload(event, request, eventTimeMs));
    const delivery = this.deliver(config, body, {
      event,
      requestId: request.internalId,
      friendlyId: request.friendlyId,
      ok: false,
      attempts: 0,
      status: null,
    });
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  /** Resolves once every delivery started so far has finished (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(
    config: WebhookConfig,
    body: string,
    delivery: WebhookDelivery,
  ): Promise<WebhookDelivery> {
    for (let attempt = 1; attempt <= 2 && !delivery.ok; attempt++) {
      delivery.attempts = attempt;
      try {
        const response = await fetch(config.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${config.bearerSecret}` },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        delivery.status = response.status;
        delivery.ok = response.ok;
        await response.body?.cancel();
      } catch {
        delivery.status = null;
      }
    }
    this.deliveries.push(delivery);
    if (this.deliveries.length > 200) this.deliveries.shift();
    return delivery;
  }
}
