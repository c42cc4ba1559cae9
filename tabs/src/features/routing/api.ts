import { apiGet, apiRequest } from '../../lib/api-client.js';

export type RouteMatch = 'flow' | 'integration' | 'resource_type';

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

export const getRouting = () => apiGet<{ routes: Route[]; channels: KnownChannel[] }>('/api/admin/routes');
export const addRoute = (route: Pick<Route, 'match' | 'value' | 'conversationId'>) =>
  apiRequest<{ route: Route }>('POST', '/api/admin/routes', route);
export const removeRoute = (id: number) => apiRequest<void>('DELETE', `/api/admin/routes/${id}`);
