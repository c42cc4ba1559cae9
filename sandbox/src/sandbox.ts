// The sandbox's state and Apono's semantics, in memory, with no HTTP: the routers are thin
// wrappers over this class, and tests or the API server can drive it directly.
import type {
  AponoAccessRequest,
  AponoAccessRequestPage,
  AponoAccessUnitPage,
  AponoMessage,
  AponoSession,
} from '@apono-teams/domain/apono.js';
import type { Decision } from '@apono-teams/domain/reason.js';
import {
  accessFlows,
  findFlow,
  findIntegration,
  findResource,
  resources as catalogResources,
} from './catalog.js';
import { createRequestRecord } from './create.js';
import { canSee, decide, fail, grant, revoke } from './decide.js';
import { SandboxError } from './errors.js';
import type { Faults } from './faults.js';
import { SandboxOAuth } from './oauth.js';
import type { OAuthSettings } from './oauth.js';
import type { RequestRecord } from './model.js';
import { toClientModel, unitModels } from './present.js';
import { page, selectRequests } from './query.js';
import type { ListQuery } from './query.js';
export type { ListQuery } from './query.js';
import type { RequestIdMode } from './request-ids.js';
export { internalIdOf, requestIdModeFromEnv } from './request-ids.js';
export type { RequestIdMode } from './request-ids.js';
import { seedRequests } from './seed.js';
import { findUser, sandboxUsers, tokenOf, userByToken } from './users.js';
import type { SandboxUser } from './users.js';
import { WebhookSender } from './webhook.js';
import type { WebhookConfig, WebhookEvent } from './webhook.js';

export interface SandboxOptions {
  /** The clock for seeding and decisions; fix it for deterministic tests. */
  now?: () => Date;
  /** Delay between Granting and Active after the approval that completes the challenge; 0 grants at once. */
  grantDelayMs?: number;
  webhook?: WebhookConfig | null;
  webhookTimeoutMs?: number;
  /** Source of randomness for `failRate`. */
  random?: () => number;
  /** "Sign in with Apono": token and code lifetimes. */
  oauth?: Partial<OAuthSettings>;
  /**
   * Which ID the client API shows and its paths take: 'friendly' (AR-1042, the default) or
   * 'internal' (the UUID). The other form answers 404 there. See requestIdModeFromEnv.
   */
  requestIds?: RequestIdMode;
  /** Account settings the session reports; kept across reset(). */
  settings?: Partial<SandboxSettings>;
}

/** Account settings an admin can change (POST /api/sandbox/settings). */
export interface SandboxSettings {
  /** Session settings.disable_approver_reason: no reason is required or checked on decisions. */
  disableApproverReason: boolean;
}

export type ResetListener = () => void | Promise<void>;

export interface NewRequestInput {
  requesterEmail: string;
  flowId?: string;
  /** Resource ids or names; the flow is found from them when flowId is absent. */
  resources?: string[];
  permission?: string;
  justification?: string | null;
  durationSeconds?: number | null;
}

/** What the admin API answers for a new request: the client model plus both of its IDs. */
export type CreatedRequest = AponoAccessRequest & { friendly_id: string; internal_id: string };

export class AponoSandbox {
  readonly users = sandboxUsers;
  readonly webhooks: WebhookSender;
  readonly random: () => number;
  /** The OAuth provider; its access tokens are accepted like personal tokens. */
  readonly oauth: SandboxOAuth;
  readonly requestIds: RequestIdMode;
  faults: Faults | null = null;
  private currentSettings: SandboxSettings;
  private requests = new Map<string, RequestRecord>();
  /**
   * Recent selections (filtered and sorted), so that reading a list page by page filters and sorts it
   * once, not once per page. Emptied by every change to a request.
   */
  private selections = new Map<string, RequestRecord[]>();
  /** The highest AR number in use; null after a reset, until the next request is created. */
  private lastNumber: number | null = null;
  private timers = new Set<NodeJS.Timeout>();
  private readonly resetListeners = new Set<ResetListener>();
  private readonly recoveryListeners = new Set<() => void>();
  private readonly clock: () => Date;
  private readonly grantDelayMs: number;

  constructor(options: SandboxOptions = {}) {
    this.clock = options.now ?? (() => new Date());
    this.grantDelayMs = options.grantDelayMs ?? 0;
    this.random = options.random ?? Math.random;
    this.requestIds = options.requestIds ?? 'friendly';
    if (this.requestIds !== 'friendly' && this.requestIds !== 'internal')
      throw new Error(`requestIds must be 'friendly' or 'internal', not ${String(this.requestIds)}`);
    this.currentSettings = { disableApproverReason: false, ...options.settings };
    this.webhooks = new WebhookSender(options.webhook ?? null, options.webhookTimeoutMs);
    this.oauth = new SandboxOAuth(() => this.clock().getTime(), options.oauth);
    void this.reset();
  }

  /** Epoch seconds, Apono's `Instant`. */
  nowSeconds(): number {
    return Math.round(this.clock().getTime() / 1000);
  }

  /**
   * Back to the seeded state (faults, settings, webhook settings and OAuth grants are kept). The
   * reseed is done when this returns; the promise settles once every onReset listener has finished
   * (it rejects when one failed, and may be ignored).
   */
  reset(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.requests = new Map(seedRequests(this.nowSeconds()).map((r) => [r.friendlyId, r]));
    this.lastNumber = null;
    this.changed();
    const done = Promise.all([...this.resetListeners].map(async (listener) => listener())).then(
      () => undefined,
    );
    done.catch(() => undefined); // a caller that does not wait is not left with an unhandled rejection
    return done;
  }

  /** Called after every reset(), e.g. so the API server clears its own state; returns an unsubscribe. */
  onReset(listener: ResetListener): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  get settings(): Readonly<SandboxSettings> {
    return { ...this.currentSettings };
  }

  configureSettings(settings: Partial<SandboxSettings>): Readonly<SandboxSettings> {
    this.currentSettings = { ...this.currentSettings, ...settings };
    return this.settings;
  }

  tokenFor(email: string): string {
    const user = findUser(email);
    if (!user) throw new SandboxError(404, `User ${email} was not found`);
    return tokenOf(user);
  }

  userForToken(token: string): SandboxUser | undefined {
    return userByToken(token) ?? this.oauth.userForAccessToken(token);
  }

  configureWebhook(config: WebhookConfig | null): void {
    this.webhooks.configure(config);
  }

  setFaults(faults: Faults): void {
    this.faults = { ...faults };
  }

  /** Apono is well again: listeners (the app's circuit breaker) may stop waiting out their cooldown. */
  clearFaults(): void {
    this.faults = null;
    for (const listener of this.recoveryListeners) listener();
  }

  onFaultsCleared(listener: () => void): () => void {
    this.recoveryListeners.add(listener);
    return () => this.recoveryListeners.delete(listener);
  }

  /** The ID the client API shows for a request in this sandbox's mode. */
  clientIdOf(request: Pick<RequestRecord, 'friendlyId' | 'internalId'>): string {
    return this.requestIds === 'internal' ? request.internalId : request.friendlyId;
  }

  session(caller: SandboxUser): AponoSession {
    return {
      user: { id: caller.id, name: caller.name, email: caller.email, photo: null },
      account: { id: 'acc-contoso-sandbox', name: 'Contoso (sandbox)', plan: 'enterprise' },
      settings: {
        require_duration_for_access_request: false,
        mfa_enabled_for_account: false,
        request_custom_fields: [],
        logout_redirect_url: null,
        disable_approver_reason: this.currentSettings.disableApproverReason,
        enable_ai_features: false,
      },
    };
  }

  listRequests(caller: SandboxUser, query: ListQuery): AponoAccessRequestPage {
    const idOf = (r: RequestRecord) => this.clientIdOf(r);
    const at = this.nowSeconds();
    // The same selection as long as nothing changed and the clock (which tiers depend on) shows the same second.
    const key = JSON.stringify([at, caller.email, query.scope, query.statuses, query.requestIds]);
    let matching = this.selections.get(key);
    if (!matching) {
      matching = selectRequests(this.requests.values(), caller.email, query, at, idOf);
      if (this.selections.size >= 64) this.selections.clear();
      this.selections.set(key, matching);
    }
    const { data, pagination } = page(matching, query.skip ?? 0, query.limit ?? 100);
    return { data: data.map((r) => toClientModel(r, idOf(r), query.summaryLimit)), pagination };
  }

  getRequest(caller: SandboxUser, id: string, summaryLimit?: number): AponoAccessRequest {
    return toClientModel(this.visible(caller, id), id, summaryLimit);
  }

  listUnits(caller: SandboxUser, groupId: string, skip = 0, limit = 100): AponoAccessUnitPage {
    for (const request of this.requests.values()) {
      const group = request.accessGroups.find((g) => g.id === groupId);
      if (group && canSee(request, caller.email)) return page(unitModels(group), skip, limit);
    }
    throw new SandboxError(404, `Access group ${groupId} was not found`);
  }

  approve(caller: SandboxUser, id: string, justification: string | null | undefined): AponoMessage {
    return this.decide(caller, id, 'approve', justification);
  }

  reject(caller: SandboxUser, id: string, justification: string | null | undefined): AponoMessage {
    return this.decide(caller, id, 'reject', justification);
  }

  /** A new pending request: the next AR number and its UUID. */
  createRequest(input: NewRequestInput): CreatedRequest {
    const flow = input.flowId
      ? findFlow(input.flowId)
      : accessFlows.find((f) =>
          (input.resources ?? []).every((r) =>
            f.integrationIds.includes(findResource(r)?.integrationId ?? ''),
          ),
        );
    if (!flow) throw new SandboxError(400, 'No access flow covers the requested resources');
    const fallback = catalogResources.find((r) => r.integrationId === flow.integrationIds[0]);
    const resources = input.resources?.length ? input.resources : fallback ? [fallback.id] : [];
    const units = resources.map((name): [string, string] => {
      const integration = findIntegration(findResource(name)?.integrationId ?? '');
      return [name, input.permission ?? integration?.permissions[0] ?? ''];
    });
    const record = createRequestRecord({
      friendlyId: `AR-${this.nextNumber()}`,
      requesterEmail: input.requesterEmail,
      flowId: flow.id,
      units,
      justification: input.justification?.trim() || null,
      createdAt: this.nowSeconds(),
      durationSeconds: input.durationSeconds ?? 3600,
    });
    this.requests.set(record.friendlyId, record);
    this.changed();
    this.emit('AccessRequestCreated', record);
    return {
      ...toClientModel(record, this.clientIdOf(record)),
      friendly_id: record.friendlyId,
      internal_id: record.internalId,
    };
  }

  /** Moves the next tier of a pending request's approvers into play, as Apono's timer would. Either ID form. */
  escalate(id: string): void {
    const request = this.byAnyId(id);
    const waiting = request.approvers.filter((a) => a.tier != null && a.escalatedAt == null && a.tier > 1);
    const next = Math.min(...waiting.map((a) => a.tier as number));
    if (request.status !== 'Pending' || !Number.isFinite(next))
      throw new SandboxError(400, `Access request ${id} has no tier left to escalate to`);
    for (const entry of waiting) if (entry.tier === next) entry.escalatedAt = this.nowSeconds();
    this.changed();
  }

  /** The access (or the wait for it) ran out: Revoked, with AccessRequestExpired. Either ID form. */
  expire(id: string): void {
    const request = this.byAnyId(id);
    revoke(request, this.nowSeconds(), id);
    this.changed();
    this.emit('AccessRequestExpired', request);
  }

  /** Granting failed at the integration: Failed, with AccessRequestFailed. Either ID form. */
  fail(id: string): void {
    const request = this.byAnyId(id);
    fail(request, id);
    this.changed();
    this.emit('AccessRequestFailed', request);
  }

  /** Admin endpoints take the friendly or the internal ID, whatever the mode. */
  private byAnyId(id: string): RequestRecord {
    const request =
      this.requests.get(id) ?? [...this.requests.values()].find((r) => r.internalId === id.toLowerCase());
    if (!request) throw new SandboxError(404, `Access request ${id} was not found`);
    return request;
  }

  /** The client API takes only the mode's ID form; Apono answers 404, not 403, for a request the caller may not see. */
  private visible(caller: SandboxUser, id: string): RequestRecord {
    const request = [...this.requests.values()].find((r) => this.clientIdOf(r) === id);
    if (!request || !canSee(request, caller.email))
      throw new SandboxError(404, `Access request ${id} was not found`);
    return request;
  }

  private decide(
    caller: SandboxUser,
    id: string,
    decision: Decision,
    justification: string | null | undefined,
  ) {
    const request = this.visible(caller, id);
    let outcome: ReturnType<typeof decide>;
    try {
      outcome = decide(request, {
        caller,
        decision,
        justification,
        at: this.nowSeconds(),
        reasonDisabled: this.currentSettings.disableApproverReason,
        shownId: id,
      });
    } finally {
      this.changed(); // a refused decision changes nothing, but one that throws half-way must not leave a stale list
    }
    if (outcome === 'Rejected') this.emit('AccessRequestRejected', request);
    if (outcome === 'Granting') {
      this.emit('AccessRequestApproved', request);
      this.scheduleGrant(request);
    }
    const verb = decision === 'approve' ? 'Approval' : 'Rejection';
    return {
      message: outcome
        ? `Access request ${id} ${decision === 'approve' ? 'approved' : 'rejected'}`
        : `${verb} of access request ${id} recorded; waiting for the other approvers`,
    };
  }

  private scheduleGrant(request: RequestRecord): void {
    const run = () => {
      if (this.requests.get(request.friendlyId) === request && grant(request, this.nowSeconds())) {
        this.changed();
        this.emit('AccessRequestGranted', request);
      }
    };
    if (this.grantDelayMs <= 0) return run();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, this.grantDelayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** The next AR number: one past the highest in use (kept, so creating thousands is not quadratic). */
  private nextNumber(): number {
    if (this.lastNumber === null) {
      const numbers = [...this.requests.keys()].map((id) => Number(id.replace(/^AR-/, '')));
      this.lastNumber = Math.max(1000, ...numbers.filter(Number.isFinite));
    }
    return ++this.lastNumber;
  }

  private changed(): void {
    this.selections.clear();
  }

  private emit(event: WebhookEvent, request: RequestRecord): void {
    this.webhooks.send(event, request, this.clock().getTime());
  }
}
