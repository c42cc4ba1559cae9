// The Teams Toolkit project files: the manifest validates for every environment, the yml files match the
// Toolkit's v1.11 schema, every ${{VAR}} they use resolves under the Toolkit's own rule, and `npm run package`
// builds the right zip.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync, inflateSync } from 'node:zlib';
// The placeholder resolver of the Toolkit CLI: @microsoft/m365agentstoolkit-cli 1.1.17 bundles
// @microsoft/teamsfx-core 3.1.3, which is installed on its own because the CLI's keytar dependency needs a
// native build. Source: OfficeDev/microsoft-365-agents-toolkit, packages/fx-core/src/component/
// configManager/lifecycle.ts (resolveString: the yml steps) and component/utils/common.ts
// (expandEnvironmentVariable: the files arm/deploy, aadApp/update and teamsApp/* render).
import { Lifecycle } from '@microsoft/teamsfx-core/build/component/configManager/lifecycle.js';
import {
  expandEnvironmentVariable,
  getEnvironmentVariables,
} from '@microsoft/teamsfx-core/build/component/utils/common.js';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  buildAppPackage,
  parseEnvFile,
  placeholdersIn,
  renderLocalizations,
  renderManifest,
  root,
  substitute,
} from '../scripts/package.mjs';

type Step = {
  uses: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  writeToEnvironmentFile?: Record<string, string>;
};
type Project = { version: string; provision?: Step[]; deploy?: Step[]; publish?: Step[] };
type Manifest = {
  localizationInfo?: {
    defaultLanguageTag: string;
    additionalLanguages?: Array<{ languageTag: string; file: string }>;
  };
};

const read = (path: string) => readFileSync(join(root, path), 'utf8');
const LIFECYCLES = [
  { file: 'teamsapp.yml', env: 'dev' },
  { file: 'teamsapp.local.yml', env: 'local' },
  { file: 'teamsapp.testtool.yml', env: 'testtool' },
] as const;

/**
 * What the Toolkit fills in before provision when the env file leaves it empty: it asks for the subscription
 * and resource group and generates RESOURCE_SUFFIX (fx-core src/component/coordinator/index.ts).
 */
const FILLED_IN_BY_TOOLKIT = ['AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME', 'RESOURCE_SUFFIX'];

/** The files a step reads and renders with the environment (the Toolkit substitutes ${{VAR}} in them too). */
function filesRenderedBy(step: Step): string[] {
  const w = step.with ?? {};
  if (step.uses === 'aadApp/update') return [String(w.manifestPath)];
  if (step.uses === 'teamsApp/validateManifest' || step.uses === 'teamsApp/zipAppPackage') {
    // The manifest and the language files its localizationInfo names, which the Toolkit zips too.
    const manifestPath = String(w.manifestPath);
    const languages =
      (JSON.parse(read(manifestPath)) as Manifest).localizationInfo?.additionalLanguages ?? [];
    return [manifestPath, ...languages.map((l) => join(manifestPath, '..', l.file))];
  }
  if (step.uses === 'arm/deploy') {
    return (w.templates as Array<{ parameters?: string }>).flatMap((t) =>
      t.parameters ? [t.parameters] : [],
    );
  }
  return [];
}

/** Names this step writes into the environment. */
function variablesWrittenBy(step: Step): string[] {
  const written = Object.values(step.writeToEnvironmentFile ?? {});
  if (step.uses === 'aadApp/update') written.push('AAD_APP_ACCESS_AS_USER_PERMISSION_ID');
  if (step.uses === 'arm/deploy') {
    for (const t of (step.with?.templates ?? []) as Array<{ path: string }>) {
      written.push(...[...read(t.path).matchAll(/^output\s+([A-Z][A-Z0-9_]*)\s/gm)].map((m) => m[1]!));
    }
  }
  if (step.uses === 'script') {
    // Run the script with none of the secrets set and read what it asks the Toolkit to save.
    const [command, ...args] = String(step.with?.run).split(/\s+/);
    expect(command).toBe('node');
    const out = execFileSync(process.execPath, args, {
      cwd: root,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
    });
    written.push(...[...out.matchAll(/^::set-teamsfx-env ([A-Z0-9_]+)=\S+$/gm)].map((m) => m[1]!));
  }
  return written;
}

/** What VS Code's tasks write before the local lifecycle runs (the dev tunnel's endpoint and domain). */
function variablesWrittenByTasks(env: string): string[] {
  const tasks = JSON.parse(read('.vscode/tasks.json')) as {
    tasks: Array<{
      command?: string;
      args?: { env?: string; ports?: Array<{ writeToEnvironmentFile?: object }> };
    }>;
  };
  return tasks.tasks
    .filter((t) => t.command === 'debug-start-local-tunnel' && t.args?.env === env)
    .flatMap((t) => t.args!.ports!.flatMap((p) => Object.values(p.writeToEnvironmentFile ?? {}) as string[]));
}

/** Sample values for what provision would write: plausible shapes so schema formats are checked too. */
function sampleValue(name: string): string {
  if (name.endsWith('_DOMAIN')) return 'apono-approvals.example.net';
  if (name.endsWith('_ENDPOINT')) return 'https://apono-approvals.example.net';
  if (/(_ID|_TENANT_ID)$/.test(name)) return '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
  return `sample-${name.toLowerCase()}`;
}

function templateOf(env: string): Record<string, string> {
  return parseEnvFile(read(`env/.env.${env}`));
}

/**
 * The placeholders the Toolkit would leave unresolved in a step, given the environment it runs in: the
 * step's `with` and `env` (Lifecycle.resolvePlaceholders, which stops the lifecycle before the step), then
 * each file the step renders (the drivers' MissingEnvironmentVariablesError). Both read process.env.
 */
function unresolvedIn(step: Step, vars: Record<string, string>, version: string): string[] {
  const saved = process.env;
  process.env = { ...vars };
  try {
    const definition = structuredClone({ ...step, with: step.with ?? {} });
    const unresolved = new Lifecycle('provision', [definition], version).resolvePlaceholders();
    for (const path of filesRenderedBy(step)) {
      unresolved.push(...getEnvironmentVariables(expandEnvironmentVariable(read(path))));
    }
    return [...new Set(unresolved)];
  } finally {
    process.env = saved;
  }
}

/**
 * Runs a lifecycle file's placeholders as the Toolkit would on a fresh clone (env/.env.<env>, no .user file):
 * provision in order, each step seeing what earlier steps wrote, then deploy and publish after it.
 */
function walk(file: string, env: string) {
  const project = yaml.load(read(file)) as Project;
  const template = templateOf(env);
  const vars: Record<string, string> = { ...template };
  const writtenByLifecycle = new Set<string>(variablesWrittenByTasks(env));
  for (const name of [...FILLED_IN_BY_TOOLKIT, ...writtenByLifecycle]) vars[name] ||= sampleValue(name);
  const unresolved: string[] = [];
  const run = (lifecycle: 'provision' | 'deploy' | 'publish', start: Record<string, string>) => {
    const current = { ...start };
    for (const step of project[lifecycle] ?? []) {
      // aadApp/update generates the scope ID its manifest asks for before rendering it (buildAadManifest.ts).
      if (step.uses === 'aadApp/update')
        current.AAD_APP_ACCESS_AS_USER_PERMISSION_ID ||= sampleValue('AAD_APP_ACCESS_AS_USER_PERMISSION_ID');
      for (const name of unresolvedIn(step, current, project.version)) {
        unresolved.push(`${lifecycle}: ${step.uses} needs ${name}`);
      }
      for (const name of variablesWrittenBy(step)) {
        current[name] ||= sampleValue(name);
        writtenByLifecycle.add(name);
      }
    }
    return current;
  };
  const afterProvision = run('provision', vars);
  run('deploy', afterProvision);
  run('publish', afterProvision);
  return { unresolved, writtenByLifecycle, template };
}

describe('the Teams app manifest', () => {
  it.each(LIFECYCLES)(
    'validates against Microsoft schema for the $env environment',
    async ({ file, env }) => {
      const { writtenByLifecycle, template } = walk(file, env);
      const vars: Record<string, string> = { ...template };
      for (const name of writtenByLifecycle) vars[name] ||= sampleValue(name);
      const manifest = JSON.parse(await renderManifest(vars));
      expect(manifest.manifestVersion).toBe('1.30');
      expect(manifest.staticTabs.map((t: { entityId: string }) => t.entityId)).toEqual([
        'approvals',
        'about',
      ]);
      expect(manifest.webApplicationInfo.resource).toBe(`api://${vars.TAB_DOMAIN}/${vars.AAD_APP_CLIENT_ID}`);
      expect(manifest.composeExtensions[0].messageHandlers[0].value.domains).toEqual(['portal.apono.io']);
      // Only what the app uses: SSO's identity, no messageTeamMembers; links to Apono open in the
      // browser (Action.OpenUrl, openLink) and unfurling needs only messageHandlers, so the one valid
      // domain is our own, where the tab and the sign-in pop-up start.
      expect(manifest.permissions).toEqual(['identity']);
      expect(manifest.validDomains).toEqual([vars.TAB_DOMAIN]);
      expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual([
        'pending',
        'help',
      ]);
      // English is the manifest's own language; the others are files beside it, each valid against
      // the Localization schema of this manifest version and naming only fields the manifest has.
      expect(manifest.localizationInfo.defaultLanguageTag).toBe('en-us');
      const languages = await renderLocalizations(JSON.stringify(manifest), vars);
      expect(languages.map((l) => l.name)).toEqual(['de.json', 'fr.json', 'ja.json', 'ar.json']);
      for (const { name, text } of languages) {
        const strings = JSON.parse(text) as Record<string, string>;
        expect(strings.$schema, name).toBe(
          'https://developer.microsoft.com/en-us/json-schemas/teams/v1.30/MicrosoftTeams.Localization.schema.json',
        );
        expect(strings['name.short'], name).toBe(manifest.name.short);
        expect(strings['description.short'], name).not.toBe(manifest.description.short);
      }
    },
  );

  it('refuses a language file the manifest names but the package does not have', async () => {
    const manifest = {
      manifestVersion: '1.30',
      localizationInfo: {
        defaultLanguageTag: 'en-us',
        additionalLanguages: [{ languageTag: 'es', file: 'es.json' }],
      },
    };
    await expect(renderLocalizations(JSON.stringify(manifest), {})).rejects.toThrow(
      'appPackage/manifest.json names appPackage/es.json for es, which does not exist.',
    );
  });

  it('names every missing variable in one sentence', () => {
    expect(() => substitute('{"id":"${{TEAMS_APP_ID}}","bot":"${{BOT_ID}}"}', { BOT_ID: '' })).toThrow(
      /needs TEAMS_APP_ID, BOT_ID, which are not set/,
    );
  });
});

describe('the Teams Toolkit yml files', () => {
  const schema = JSON.parse(read('tests/fixtures/teamsapp-yaml-v1.11.schema.json'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it.each(LIFECYCLES)('$file matches the Toolkit yml v1.11 schema', ({ file }) => {
    const text = read(file);
    expect(text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=https://aka.ms/teams-toolkit/v1.11/yaml.schema.json',
    );
    const valid = validate(yaml.load(text));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema rejects a step the Toolkit would not understand', () => {
    const project = yaml.load(read('teamsapp.yml')) as Project;
    project.provision![0]!.with = { name: 'x', color: 'violet' };
    expect(validate(project)).toBe(false);
  });

  it('the Toolkit refuses an empty ${{VAR}}, except APP_NAME_SUFFIX', () => {
    const step = {
      uses: 'teamsApp/create',
      with: { name: 'Approvals${{APP_NAME_SUFFIX}} ${{ALLOWED_TENANT_IDS}}' },
    };
    expect(unresolvedIn(step, { APP_NAME_SUFFIX: '', ALLOWED_TENANT_IDS: '' }, 'v1.11')).toEqual([
      'ALLOWED_TENANT_IDS',
    ]);
    expect(unresolvedIn(step, { ALLOWED_TENANT_IDS: 'x' }, 'v1.11')).toEqual(['APP_NAME_SUFFIX']);
    expect(getEnvironmentVariables(expandEnvironmentVariable('"${{LOG_LEVEL}}"', { LOG_LEVEL: '' }))).toEqual(
      ['LOG_LEVEL'],
    );
  });

  it.each(LIFECYCLES)(
    'every ${{VAR}} that $file uses resolves under the Toolkit rule with env/.env.$env as committed',
    ({ file, env }) => {
      expect(walk(file, env).unresolved).toEqual([]);
    },
  );

  it.each(['dev', 'local'])(
    'env/.env.%s lists every variable its provision writes, and holds no secret',
    (env) => {
      const file = env === 'dev' ? 'teamsapp.yml' : 'teamsapp.local.yml';
      const { writtenByLifecycle, template } = walk(file, env);
      const missing = [...writtenByLifecycle].filter((n) => !n.startsWith('SECRET_') && !(n in template));
      expect(missing).toEqual([]);
      expect(Object.keys(template).filter((n) => n.startsWith('SECRET_'))).toEqual([]);
    },
  );
});

/** The entries of a zip archive, read from its central directory. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const method = archive.readUInt16LE(at + 10);
    const compressedSize = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const localAt = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = localAt + 30 + archive.readUInt16LE(localAt + 26) + archive.readUInt16LE(localAt + 28);
    const raw = archive.subarray(dataAt, dataAt + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    expect(data.length).toBe(size);
    entries.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Width, height and RGBA pixels of an 8-bit RGBA, non-interlaced PNG. */
function decodePng(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const [bitDepth, colorType, , , interlace] = png.subarray(24, 29);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  expect({ bitDepth, colorType, interlace }).toEqual({ bitDepth: 8, colorType: 6, interlace: 0 });
  const rows = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = rows[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const raw = rows[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? pixels[y * stride + x - 4]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter!]!;
      pixels[y * stride + x] = (raw + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

describe('npm run package', () => {
  it('zips exactly the manifest, both icons at the sizes Teams requires, and each language file', async () => {
    const output = await buildAppPackage('testtool', { processEnv: {} });
    expect(output).toBe(join(root, 'appPackage/build/appPackage.testtool.zip'));
    const entries = unzip(readFileSync(output));
    const languages = ['ar.json', 'de.json', 'fr.json', 'ja.json'];
    expect([...entries.keys()].sort()).toEqual([
      'ar.json',
      'color.png',
      'de.json',
      'fr.json',
      'ja.json',
      'manifest.json',
      'outline.png',
    ]);

    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
    for (const file of languages) {
      const strings = JSON.parse(entries.get(file)!.toString('utf8')) as Record<string, string>;
      expect(placeholdersIn(JSON.stringify(strings)), file).toEqual([]);
      expect(strings['name.short'], file).toBe(manifest.name.short);
      expect(strings['staticTabs[0].name'], file).not.toBe('Approvals');
    }
    expect(placeholdersIn(JSON.stringify(manifest))).toEqual([]);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });

    const color = decodePng(entries.get('color.png')!);
    expect([color.width, color.height]).toEqual([192, 192]);

    const outline = decodePng(entries.get('outline.png')!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    let white = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, alpha] = outline.pixels.subarray(i, i + 4);
      if (alpha === 0) transparent++;
      else if (r === 255 && g === 255 && b === 255) white++;
    }
    // Every pixel is either transparent or white, and the icon shows something.
    expect(transparent + white).toBe(32 * 32);
    expect(white).toBeGreaterThan(50);
    expect(transparent).toBeGreaterThan(32 * 32 * 0.5);
  });
});
