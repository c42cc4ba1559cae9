// The tab's first load stays small: dialogs, details, history and teams-js load only when used.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTabBuilt } from './support/app.js';

const dist = resolve(import.meta.dirname, '../../tabs/dist');
const initialBudgetKb = 800;

describe('the built tab', () => {
  let initial: string[];

  beforeAll(async () => {
    await ensureTabBuilt();
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  }, 120_000);

  it(`loads at most ${initialBudgetKb} kB of JavaScript at start, with the rest split into lazy chunks`, () => {
    const bytes = initial.reduce((n, file) => n + statSync(join(dist, file)).size, 0);
    const gzipped = initial.reduce((n, file) => n + gzipSync(readFileSync(join(dist, file))).length, 0);
    console.log(
      `initial JS: ${(bytes / 1024).toFixed(1)} kB (${(gzipped / 1024).toFixed(1)} kB gzip) in ${initial.length} files`,
    );
    expect(bytes / 1024).toBeLessThan(initialBudgetKb);
    for (const lazy of [
      'ReasonDialog',
      'BulkDecisionDialog',
      'RequestDetails',
      'HistoryView',
      'teams-host',
    ]) {
      expect(
        initial.some((file) => file.includes(lazy)),
        `${lazy} is not in the first load`,
      ).toBe(false);
      expect(
        readdirSync(join(dist, 'assets')).some((file) => file.startsWith(lazy)),
        `${lazy} has its own chunk`,
      ).toBe(true);
    }
  });
});
