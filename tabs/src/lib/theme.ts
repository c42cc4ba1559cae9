// Teams light ships in the first load, as data (vite.config.ts, lightThemeAsData); dark and high
// contrast load when asked for.
import type { Theme } from '@fluentui/react-components';
import teamsLightTheme from 'virtual:teams-light-theme';
import type { ThemeName } from './theme-name.js';

export const defaultTheme: Theme = teamsLightTheme;

export async function loadTheme(name: ThemeName): Promise<Theme> {
  if (name === 'dark') return (await import('./theme-dark.js')).teamsDarkTheme;
  if (name === 'contrast') return (await import('./theme-contrast.js')).teamsHighContrastTheme;
  return teamsLightTheme;
}
