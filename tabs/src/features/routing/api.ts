import type { KnownChannel, Route } from '@apono-teams/domain/routing.js';
import { apiGet, apiRequest } from '../../lib/api-client.js';

export const getRouting = () => apiGet<{ routes: Route[]; channels: KnownChannel[] }>('/api/admin/routes');
export const addRoute = (route: Pick<Route, 'match' | 'value' | 'conversationId'>) =>
  apiRequest<{ route: Route }>('POST', '/api/admin/routes', route);
export const removeRoute = (id: number) => apiRequest<void>('DELETE', `/api/admin/routes/${id}`);
