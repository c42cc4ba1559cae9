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
import { canSee, decide, expire, grant } from './decide.js';
import { SandboxError } from './errors.js';
import type { Faults } from './faults.js';
import { SandboxOAuth } from './oauth.js';
import type { OAuthSettings } from './oauth.js';
import type { RequestRecord } from './model.js';
import { toClientModel, unitModels } from './present.js';
import { page, selectRequests } from './query.js';
import type { ListQuery } from './query.js';
export type { ListQuery } from './query.js';
import { seedRequests } from './seed.js';
import { findUser, sandboxUsers, tokenOf, userByToken } from './users.js';
import type { SandboxUser } from './users.js';
import { WebhookSender } from './webhook.js';
import type { WebhookConfig, WebhookEvent } from './webhook.js';

export interface SandboxOptions {
  /** The clock for seeding and decisions; fix it for deterministic tests. */
  now?: () => Date;
  /** Delay between Approved and Granted; 0 grants at once. */
  grantDelayMs?: number;
  webhook?: WebhookConfig | null;
  webhookTimeoutMs?: number;
  /** Source of randomness for `failRate`. */
  random?: () => number;
  /** "Sign in with Apono": token and code lifetimes. */
  oauth?: Partial<OAuthSettings>;
}

export interface NewRequestInput {
  requesterEmail: string;
  flowId?: string;
  /** Resource ids or names; the flow is found from them when flowId is absent. */
  resources?: string[];
  permission?: string;
  justification?: string | null;
  durationSeconds?: number | null;
}

export class AponoSandbox {
  readonly users = sandboxUsers;
  readonly webhooks: WebhookSender;
  readonly random: () => number;
  /** The OAuth provider; its access tokens are accepted like personal tokens. */
  readonly oauth: SandboxOAuth;
  faults: Faults | null = null;
  private requests = new Map<string, RequestRecord>();
  private timers = new Set<NodeJS.Timeout>();
  private readonly clock: () => Date;
  private readonly grantDelayMs: number;

  constructor(options: SandboxOptions = {}) {
    this.clock = options.now ?? (() => new Date());
    this.grantDelayMs = options.grantDelayMs ?? 0;
    this.random = options.random ?? Math.random;
    this.webhooks = new WebhookSender(options.webhook ?? null, options.webhookTimeoutMs);
    this.oauth = new SandboxOAuth(() => this.clock().getTime(), options.oauth);
    this.reset();
  }

  /** Epoch seconds, Apono's `Instant`. */
  nowSeconds(): number {
    return Math.round(this.clock().getTime() / 1000);
  }

  /** Back to the seeded state (faults, webhook settings and OAuth grants are kept). */
  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.requests = new Map(seedRequests(this.nowSeconds()).map((r) => [r.id, r]));
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

  clearFaults(): void {
    this.faults = null;
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
        disable_approver_reason: false,
        enable_ai_features: false,
      },
    };
  }

  listRequests(caller: SandboxUser, query: ListQuery): AponoAccessRequestPage {
    const at = this.nowSeconds();
    const matching = selectRequests(this.requests.values(), caller.email, query, at);
    const { data, pagination } = page(matching, query.skip ?? 0, query.limit ?? 100);
    return { data: data.map((r) => toClientModel(r, caller.email, at, query.summaryLimit)), pagination };
  }

  getRequest(caller: SandboxUser, id: string, summaryLimit?: number): AponoAccessRequest {
    return toClientModel(this.visible(caller, id), caller.email, this.nowSeconds(), summaryLimit);
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

  createRequest(input: NewRequestInput): AponoAccessRequest {
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
    const numbers = [...this.requests.keys()]
      .map((id) => Number(id.replace(/^AR-/, '')))
      .filter(Number.isFinite);
    const record = createRequestRecord({
      id: `AR-${Math.max(1000, ...numbers) + 1}`,
      requesterEmail: input.requesterEmail,
      flowId: flow.id,
      units,
      justification: input.justification?.trim() || null,
      createdAt: this.nowSeconds(),
      durationSeconds: input.durationSeconds ?? 3600,
    });
    this.requests.set(record.id, record);
    this.emit('RequestCreated', record);
    return toClientModel(record, record.requesterEmail, this.nowSeconds());
  }

  /** Moves the next tier of a pending request's approvers into play, as Apono's timer would. */
  escalate(id: string): void {
    const request = this.byId(id);
    const waiting = request.approvers.filter((a) => a.tier != null && a.escalatedAt == null && a.tier > 1);
    const next = Math.min(...waiting.map((a) => a.tier as number));
    if (request.status !== 'Pending' || !Number.isFinite(next))
      throw new SandboxError(400, `Access request ${id} has no tier left to escalate to`);
    for (const entry of waiting) if (entry.tier === next) entry.escalatedAt = this.nowSeconds();
  }

  expire(id: string): void {
    const request = this.byId(id);
    expire(request);
    this.emit('RequestExpired', request);
  }

  private byId(id: string): RequestRecord {
    const request = this.requests.get(id);
    if (!request) throw new SandboxError(404, `Access request ${id} was not found`);
    return request;
  }

  /** Apono answers 404, not 403, for a request the caller may not see. */
  private visible(caller: SandboxUser, id: string): RequestRecord {
    const request = this.requests.get(id);
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
    const outcome = decide(request, { caller, decision, justification, at: this.nowSeconds() });
    if (outcome === 'Rejected') this.emit('RequestRejected', request);
    if (outcome === 'Approved') {
      this.emit('RequestApproved', request);
      this.scheduleGrant(request);
    }
    const verb = decision === 'approve' ? 'Approval' : 'Rejection';
    return {
      message: outcome
        ? `Access request ${id} ${outcome.toLowerCase()}`
        : `${verb} of access request ${id} recorded; waiting for the other approvers`,
    };
  }

  private scheduleGrant(request: RequestRecord): void {
    const run = () => {
      if (this.requests.get(request.id) === request && grant(request, this.nowSeconds()))
        this.emit('RequestGranted', request);
    };
    if (this.grantDelayMs <= 0) return run();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, this.grantDelayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private emit(event: WebhookEvent, request: RequestRecord): void {
    this.webhooks.send(event, request, this.clock().getTime() / 1000);
  }
}
