// The English catalogue's two parts, made by vite.config.ts (englishInTwo) from domain/locales/en.json.
declare module 'virtual:en-first-screen' {
  const words: import('@apono-teams/domain/i18n.js').Catalogue;
  export default words;
}
declare module 'virtual:en-rest' {
  const words: import('@apono-teams/domain/i18n.js').Catalogue;
  export default words;
}
