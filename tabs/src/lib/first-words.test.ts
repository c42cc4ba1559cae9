// The English words of the first load (first-words.ts) against the sources: every key a module of
// the first screen reads is in the bundled part, and every module loaded later that reads others
// comes through withAllWords, which merges the rest of English in before it renders.
import en from '@apono-teams/domain/locales/en.json';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstScreenWords, splitCatalogue } from './first-words.js';

const src = resolve(import.meta.dirname, '..');
const catalogue = en as Record<string, Record<string, unknown>>;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name) ? [path] : [];
  });
}
const text = (file: string) => readFileSync(file, 'utf8');

/** Whether `path` names words in the namespace: a sentence, a group, or a plural's forms. */
function inCatalogue(namespace: string, path: string): boolean {
  let node: unknown = catalogue[namespace];
  const parts = path.split('.');
  const last = parts.pop()!;
  for (const part of parts) node = (node as Record<string, unknown> | undefined)?.[part];
  const group = node as Record<string, unknown> | undefined;
  return [last, `${last}_one`, `${last}_other`].some((name) => group?.[name] !== undefined);
}

/**
 * The catalogue keys a module names outside its comments: every string literal that is a key of
 * `tab` (or `common:…`), such as 'page.heading', and every template literal's start before its
 * first `${`, such as `page.showingAll.${sort}` (read as all of page.showingAll).
 */
function keysIn(code: string): string[] {
  const keys = new Set<string>();
  const uncommented = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const [, literal, end] of uncommented.matchAll(/['"`]((?:common:)?[a-zA-Z][\w.]*)(['"`]|\$\{)/g)) {
    const [namespace, key] = literal!.startsWith('common:')
      ? ['common', literal!.slice(7)]
      : ['tab', literal!];
    const path = end === '${' ? key.replace(/\.$/, '') : key;
    // A bare word ('history', 'bulk') is a key only when it is a sentence of its own ('tryAgain').
    const bare = !path.includes('.') && end !== '${' && typeof catalogue[namespace]![path] !== 'string';
    if (path && !bare && inCatalogue(namespace, path)) keys.add(`${namespace}.${path}`);
  }
  return [...keys];
}

/** A key is bundled when a first-screen path is it, or holds it. */
const bundled = (key: string) => {
  const [namespace, ...rest] = key.split('.');
  const path = rest.join('.');
  return firstScreenWords[namespace as 'tab' | 'common'].some(
    (first) => path === first || path.startsWith(`${first}.`) || path.startsWith(`${first}_`),
  );
};

function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  return ['.ts', '.tsx'].map((ext) => base + ext).find((file) => existsSync(file)) ?? null;
}

/** The modules `entry` loads with it: its static imports, and theirs (type-only imports aside). */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of text(file).matchAll(/^import\s+(?!type\s)[^;]*?\sfrom\s+'([^']+)'/gms)) {
      const target = resolveImport(file, specifier!);
      if (target) queue.push(target);
    }
  }
  return seen;
}

const missing = (files: Iterable<string>) =>
  [...files].flatMap((file) => keysIn(text(file)).filter((key) => !bundled(key)));

describe('the English words of the first load', () => {
  const firstScreen = staticClosure(join(src, 'main.tsx'));

  it('hold every key a first-screen module reads', () => {
    const unbundled = [...firstScreen].flatMap((file) =>
      missing([file]).map((key) => `${relative(src, file)}: ${key}`),
    );
    expect(unbundled).toEqual([]);
  });

  it('leave out words only modules loaded later read, which wait for the rest with withAllWords', () => {
    const unwaited: string[] = [];
    for (const file of sources(src)) {
      const code = text(file);
      for (const call of code.matchAll(/import\('(\.[^']+)'\)/g)) {
        const target = resolveImport(file, call[1]!);
        const later = target ? missing(staticClosure(target)) : [];
        if (!later.length) continue;
        const before = code.slice(0, call.index);
        const waits = /withAllWords\(\s*$/.test(before) || /lazyPreloaded\(\(\) =>\s*$/.test(before);
        if (!waits) unwaited.push(`${relative(src, file)}: import('${call[1]}') reads ${later.join(', ')}`);
      }
    }
    expect(unwaited).toEqual([]);
    // lazyPreloaded itself waits for the words.
    expect(text(join(src, 'features/requests/utils/preload.ts'))).toContain('withAllWords(load())');
    // And something is left out: the split saves bytes.
    expect(sources(src).filter((file) => !firstScreen.has(file) && missing([file]).length)).not.toEqual([]);
  });

  it('server messages the list and its errors carry are bundled: risk hints, why you, errors', () => {
    for (const group of ['approver', 'why', 'risk', 'status', 'errors', 'errorCase'])
      expect(bundled(`common.${group}.x`), group).toBe(true);
  });

  it('cut the catalogue in two parts that together are the namespaces the tab reads', () => {
    const [first, rest] = splitCatalogue(en);
    for (const namespace of ['common', 'tab']) {
      const merged = structuredClone(rest[namespace]) as Record<string, Record<string, unknown>>;
      for (const [group, words] of Object.entries(first[namespace]!))
        merged[group] = typeof words === 'object' ? { ...merged[group], ...words } : words;
      expect(merged).toEqual(catalogue[namespace]);
    }
    expect(Object.keys(rest).sort()).toEqual(['common', 'tab']);
  });
});
