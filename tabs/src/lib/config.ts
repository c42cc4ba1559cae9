import { apiGet } from './api-client.js';

export interface AppConfig {
  mode: 'sandbox' | 'teams';
  aponoPortalUrl: string;
  aponoOAuth: boolean;
}

export const getConfig = () => apiGet<AppConfig>('/api/config', { auth: false });
