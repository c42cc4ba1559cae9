// Fluent's teamsLightTheme as data, made by vite.config.ts (lightThemeAsData).
declare module 'virtual:teams-light-theme' {
  const theme: import('@fluentui/react-components').Theme;
  export default theme;
}
