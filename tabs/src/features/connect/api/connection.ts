import { apiGet, apiRequest } from '../../../lib/api-client.js';

export interface Connection {
  connected: boolean;
  aponoUser?: { name: string; email: string };
  method?: 'token' | 'oauth' | 'sandbox';
}

export interface Me {
  user: { name: string; email: string };
  connection: Connection;
  /** One of the app's admins (ADMIN_EMAILS): the Routing page shows. The server checks again. */
  admin?: boolean;
}

export const getMe = () => apiGet<Me>('/api/me');

export const connectWithToken = (token: string) =>
  apiRequest<{ connection: Connection }>('PUT', '/api/connection', { token });

export const disconnect = () => apiRequest<void>('DELETE', '/api/connection');

/** startUrl: our own /auth-start page, where the sign-in window must begin (it goes on to Apono). */
export const startOAuth = () =>
  apiGet<{ startUrl: string; authorizeUrl: string }>('/api/connection/oauth/start');
