// Teams light ships in the first load; dark and high contrast load when asked for.
import { teamsLightTheme, type Theme } from '@fluentui/react-components';
import type { ThemeName } from './theme-name.js';

export const defaultTheme: Theme = teamsLightTheme;

export async function loadTheme(name: ThemeName): Promise<Theme> {
  if (name === 'dark') return (await import('./theme-dark.js')).teamsDarkTheme;
  if (name === 'contrast') return (await import('./theme-contrast.js')).teamsHighContrastTheme;
  return teamsLightTheme;
}
