import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

const lazyOnly =
  /tabster[\\/]dist[\\/]esm[\\/](get[\\/]get)?(Groupper|Modalizer|Restorer)\.js$|domain[\\/]src[\\/](risk|request-search)\.ts$/;

// The tab bundles the domain package's TypeScript sources ("source" condition), so the reason rule
// and the view model are the very code the API runs. `npm run dev` proxies /api to a running server.
export default defineConfig({
  plugins: [react()],
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
