import { transformAsync } from '@babel/core';
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { splitCatalogue } from './src/lib/first-words.js';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

// What the tab's styles read from @fluentui/react-components, for Griffel to evaluate them at
// build time: the whole package, evaluated, trips over its ESM-only helpers and is slow.
const fluentForStyles = `
const theme = require(${JSON.stringify(require.resolve('@fluentui/react-theme'))});
module.exports = {
  tokens: theme.tokens,
  typographyStyles: theme.typographyStyles,
  shorthands: require(${JSON.stringify(require.resolve('@griffel/core'))}).shorthands,
  createCustomFocusIndicatorStyle: require(${JSON.stringify(
    join(packageDir('@fluentui/react-tabster'), 'lib-commonjs/focus/createCustomFocusIndicatorStyle.cjs'),
  )}).createCustomFocusIndicatorStyle,
};`;

/**
 * Griffel's ahead-of-time compilation (@griffel/babel-preset, as Fluent documents for its own
 * packages): each makeStyles() becomes __styles() with its class names and CSS already computed,
 * so the first load carries no CSS-in-JS compiler (stylis, rtl-css-js, hashing). Left-to-right and
 * right-to-left CSS are both precomputed; the classes are the ones the runtime would make.
 */
function griffelAheadOfTime(): Plugin {
  return {
    name: 'griffel-ahead-of-time',
    enforce: 'pre',
    apply: 'build',
    async transform(code, id) {
      if (!/[\\/]tabs[\\/]src[\\/].*\.tsx?$/.test(id) || !code.includes('makeStyles')) return null;
      const out = await transformAsync(code, {
        filename: id,
        babelrc: false,
        configFile: false,
        sourceMaps: true,
        parserOpts: { plugins: ['typescript', 'jsx'] },
        presets: [
          [
            '@griffel/babel-preset',
            {
              babelOptions: { presets: ['@babel/preset-typescript'] },
              evaluationRules: [
                { action: '@linaria/shaker' },
                { test: /[\\/]node_modules[\\/]/, action: 'ignore' },
                {
                  test: /[\\/]node_modules[\\/]@fluentui[\\/]react-components[\\/]/,
                  action: () => [fluentForStyles, null],
                },
              ],
            },
          ],
        ],
      });
      return out?.code ? { code: out.code, map: out.map } : null;
    },
  };
}

/**
 * The English catalogue in two modules: `virtual:en-first-screen`, the words the first screen reads
 * (src/lib/first-words.ts), bundled with it, and `virtual:en-rest`, the others, a chunk of its own.
 * A named JSON import keeps whole namespaces only; this cuts them by group.
 */
function englishInTwo(): Plugin {
  const file = require.resolve('@apono-teams/domain/locales/en.json');
  const ids: Record<string, 0 | 1> = { 'virtual:en-first-screen': 0, 'virtual:en-rest': 1 };
  return {
    name: 'english-in-two',
    resolveId: (id) => (id in ids ? `\0${id}` : null),
    load(id) {
      const part = ids[id.slice(1)];
      if (!id.startsWith('\0') || part === undefined) return null;
      this.addWatchFile(file);
      const words = splitCatalogue(JSON.parse(readFileSync(file, 'utf8')))[part];
      return `export default ${JSON.stringify(words)};`;
    },
  };
}

/**
 * `tokens.colorNeutralForeground1` written as the string it names ("var(--colorNeutralForeground1)")
 * in Fluent's code and ours: the map of all 467 tokens (3.8 KB gzip) then leaves the first load,
 * which reads only a few of them at run time.
 */
function tokensAsStrings(): Plugin {
  const { tokens } = require('@fluentui/react-theme') as { tokens: Record<string, string> };
  const imported =
    /import\s*\{[^}]*\btokens\b[^}]*\}\s*from\s*["']@fluentui\/(react-theme|tokens|react-components)["']/;
  return {
    name: 'tokens-as-strings',
    apply: 'build',
    transform(code) {
      if (!imported.test(code)) return null;
      const out = code.replace(/(?<![\w$.])tokens\.(\w+)/g, (whole, name: string) =>
        typeof tokens[name] === 'string' ? JSON.stringify(tokens[name]) : whole,
      );
      // Replacements within a line: the lines, which the source map keys on, stay where they were.
      return out === code ? null : { code: out, map: null };
    },
  };
}

/**
 * `virtual:teams-light-theme`: Fluent's teamsLightTheme as the object it evaluates to, so the first
 * load carries its 459 values rather than the palettes and functions that compute them.
 */
function lightThemeAsData(): Plugin {
  const id = 'virtual:teams-light-theme';
  return {
    name: 'light-theme-as-data',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(source) {
      if (source !== `\0${id}`) return null;
      const { teamsLightTheme } = require('@fluentui/react-theme') as { teamsLightTheme: object };
      return `export default ${JSON.stringify(teamsLightTheme)};`;
    },
  };
}

const lazyOnly =
  /tabster[\\/]dist[\\/]esm[\\/](get[\\/]get)?(Groupper|Modalizer|Restorer)\.js$|domain[\\/]src[\\/](risk|request-search)\.ts$/;

// The tab bundles the domain package's TypeScript sources ("source" condition), so the reason rule
// and the view model are the very code the API runs. `npm run dev` proxies /api to a running server.
export default defineConfig({
  plugins: [englishInTwo(), lightThemeAsData(), griffelAheadOfTime(), tokensAsStrings(), react()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // React changes less often than the app: its own long-cached chunk. Fluent stays split by
        // use, so the dialogs', drawer's and table's code loads only when they open. The list's
        // virtualizer, imported only once a list is longer than a page, is named for what it is.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'virtualizer', test: /node_modules[\\/]@tanstack[\\/]virtual-core[\\/]/ },
            // The English words the first screen does not read (englishInTwo, above).
            { name: 'en-rest', test: (id) => id === '\0virtual:en-rest' },
            // Everything else the first screen imports statically, in one chunk: 20-odd small
            // shared chunks compressed apart cost more than the code they hold. A module only
            // reachable statically (a barrel's re-export, not used by the first screen) is left to
            // the lazy chunks that use it: tabster's focus traps for dialogs, drawer and menus, and
            // the domain's search and risk rules, which the first screen only imports for types.
            {
              name: 'app',
              tags: ['$initial'],
              test: (id) => !lazyOnly.test(id),
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': process.env.API_ORIGIN ?? 'http://localhost:3978' } },
});
