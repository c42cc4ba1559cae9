export type ThemeName = 'default' | 'dark' | 'contrast';

/** Teams reports "default", "dark" or "contrast"; anything else is treated as the light theme. */
export function themeNameFrom(value: string | null | undefined): ThemeName {
  const name = (value ?? '').toLowerCase();
  if (name === 'dark') return 'dark';
  if (name === 'contrast' || name === 'high-contrast' || name === 'highcontrast') return 'contrast';
  return 'default';
}
