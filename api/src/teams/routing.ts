// Channel routing (issue 10.3): an admin sends the new requests of an access flow, an integration or
// a resource type to a Teams channel. The bot posts its own card there (once per request and
// channel), keeps that copy true like any other, and approvers act on it in the channel.
import type { ApprovalRequest } from '@apono-teams/domain/approval-request.js';
import type { KnownChannel, Route, RouteMatch } from '@apono-teams/domain/routing.js';
import { escapeCardMarkdown } from '@apono-teams/domain/card-text.js';
import type { Activity } from '@microsoft/teams.api';
import { isRetryable } from '../delivery/retry.js';
import type { Db } from '../store/db.js';
import { tenantOf } from './people.js';
import type { TeamsServices } from './services.js';

/** Whether a route takes this request: the flow's name, an integration's name, or a resource type, case-insensitively. */
export function routeMatches(route: Pick<Route, 'match' | 'value'>, request: ApprovalRequest): boolean {
  const wanted = route.value.trim().toLowerCase();
  const any = (values: Array<string | null | undefined>) =>
    values.some((v) => v?.trim().toLowerCase() === wanted);
  switch (route.match) {
    case 'flow':
      return any([request.accessFlow]);
    case 'integration':
      return any(request.integrations.map((i) => i.name));
    case 'resource_type':
      return any([...request.resourceTypes, ...request.accessUnits.map((u) => u.resourceType)]);
  }
}

const routeOf = (r: Record<string, unknown>): Route => ({
  id: Number(r.id),
  match: r.match as RouteMatch,
  value: String(r.value),
  conversationId: String(r.conversation_id),
  createdBy: String(r.created_by),
});

export function createRoutingStore(db: Db) {
  return {
    /** A channel the bot is in (it was added to the team, or is spoken to there): a place to route to. */
    async rememberChannel(activity: Activity): Promise<void> {
      if (activity.conversation?.conversationType !== 'channel') return;
      const tenantId = tenantOf(activity);
      if (!tenantId || !activity.serviceUrl) return;
      const data = activity.channelData as
        { team?: { name?: string }; channel?: { name?: string } } | undefined;
      // A channel's thread (";messageid=") is the same channel.
      const conversationId = activity.conversation.id.split(';')[0]!;
      await db.query(
        `insert into teams_channels (conversation_id, tenant_id, service_url, team_name, channel_name)
         values ($1, $2, $3, $4, $5)
         on conflict (conversation_id) do update set service_url = excluded.service_url,
           team_name = coalesce(excluded.team_name, teams_channels.team_name),
           channel_name = coalesce(excluded.channel_name, teams_channels.channel_name), updated_at = now()`,
        [
          conversationId,
          tenantId,
          activity.serviceUrl,
          data?.team?.name ?? null,
          data?.channel?.name ?? null,
        ],
      );
    },

    async channels(): Promise<KnownChannel[]> {
      const rows = await db.query(
        'select * from teams_channels order by team_name, channel_name, conversation_id',
      );
      return rows.map((r) => ({
        conversationId: String(r.conversation_id),
        teamName: (r.team_name as string | null) ?? null,
        channelName: (r.channel_name as string | null) ?? null,
      }));
    },

    async channel(conversationId: string) {
      const [row] = await db.query('select * from teams_channels where conversation_id = $1', [
        conversationId,
      ]);
      return row
        ? { conversationId, serviceUrl: String(row.service_url), tenantId: String(row.tenant_id) }
        : null;
    },

    async routes(): Promise<Route[]> {
      return (await db.query('select * from channel_routes order by id')).map(routeOf);
    },

    /** Adds a route; null when the same one exists already. */
    async addRoute(route: Omit<Route, 'id'>): Promise<Route | null> {
      const [row] = await db.query(
        `insert into channel_routes (match, value, conversation_id, created_by) values ($1, $2, $3, $4)
         on conflict do nothing returning *`,
        [route.match, route.value.trim(), route.conversationId, route.createdBy],
      );
      return row ? routeOf(row) : null;
    },

    async removeRoute(id: number): Promise<boolean> {
      return (await db.query('delete from channel_routes where id = $1 returning id', [id])).length > 0;
    },
  };
}

export type RoutingStore = ReturnType<typeof createRoutingStore>;

export function createRouting(deps: TeamsServices & { routes: RoutingStore }) {
  const { store, views, messenger, log, routes } = deps;

  return {
    /** Posts a pending request in every channel a route sends it to, once per channel. */
    async postToChannels(request: ApprovalRequest): Promise<void> {
      const matching = (await routes.routes()).filter((r) => routeMatches(r, request));
      const owner = (await store.readersOf(request.id, 1))[0];
      if (!matching.length || !owner) return;
      for (const conversationId of new Set(matching.map((r) => r.conversationId))) {
        const channel = await routes.channel(conversationId);
        if (!channel) continue;
        const kind = `route:${conversationId}`;
        if (!(await store.firstNotice(request.id, kind))) continue;
        try {
          const card = await views.render(request, { audience: 'everyone' });
          const lead = `New access request from ${escapeCardMarkdown(request.requester.name)}, routed to this channel.`;
          const to = { serviceUrl: channel.serviceUrl, conversationId };
          const activityId = await messenger.sendCard(to, card, lead);
          await store.saveCard({
            requestId: request.id,
            ...to,
            activityId,
            tenantId: channel.tenantId,
            personal: false,
            ownerObjectId: owner.aadObjectId,
          });
          await store.noticeSent(request.id, kind);
        } catch (err) {
          await store.forgetNotice(request.id, kind);
          log.warn(
            { err: (err as Error).message, requestId: request.id },
            'could not post to a routed channel',
          );
          if (isRetryable(err)) throw err;
        }
      }
    },
  };
}

export type Routing = ReturnType<typeof createRouting>;
