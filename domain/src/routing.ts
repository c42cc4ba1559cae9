// Channel routes, as the API stores them and the tab shows them (issue 10.3): the new requests of an
// access flow, an integration or a resource type also go to a Teams channel the bot was added to.

export const ROUTE_MATCHES = ['flow', 'integration', 'resource_type'] as const;
export type RouteMatch = (typeof ROUTE_MATCHES)[number];

export interface Route {
  id: number;
  match: RouteMatch;
  value: string;
  conversationId: string;
  createdBy: string;
}

export interface KnownChannel {
  conversationId: string;
  teamName: string | null;
  channelName: string | null;
}

export const MATCH_LABELS: Record<RouteMatch, string> = {
  flow: 'Access flow',
  integration: 'Integration',
  resource_type: 'Resource type',
};

/** "Team › Channel", or what is known of it; the General channel carries no name in Teams' events. */
export const channelLabel = (c: KnownChannel | undefined) =>
  c ? `${c.teamName ?? 'A team'} › ${c.channelName ?? 'General'}` : 'A channel the bot has left';
