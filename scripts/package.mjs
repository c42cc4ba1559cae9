// npm run package [env]: builds appPackage/build/appPackage.<env>.zip (manifest.json, color.png, outline.png,
// and each language file localizationInfo names)
// from env/.env.<env> (+ env/.env.<env>.user), the same inputs Teams Toolkit's teamsApp/zipAppPackage uses.
// Offline: the manifest is checked against the schema bundled in @microsoft/app-manifest.
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync, crc32 } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { Ajv } from 'ajv';

export const root = fileURLToPath(new URL('..', import.meta.url));
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Parses a dotenv file: KEY=value lines, # comments, optional single or double quotes.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseEnvFile(text) {
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)?$/.exec(line);
    if (!match) continue;
    let value = (match[2] ?? '').trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, '');
    vars[match[1]] = value;
  }
  return vars;
}

/** The variables of an environment: env/.env.<env>, then env/.env.<env>.user, then the process environment. */
export function readEnvironment(envName, { processEnv = process.env } = {}) {
  const file = `${root}env/.env.${envName}`;
  if (!existsSync(file)) {
    throw new Error(
      `There is no environment "${envName}": create env/.env.${envName} (see docs/teams-toolkit.md).`,
    );
  }
  const vars = { ...parseEnvFile(readFileSync(file, 'utf8')) };
  const userFile = `${file}.user`;
  if (existsSync(userFile)) Object.assign(vars, parseEnvFile(readFileSync(userFile, 'utf8')));
  for (const name of Object.keys(vars)) {
    if (processEnv[name]) vars[name] = processEnv[name];
  }
  return vars;
}

/** Every ${{VAR}} named in a text, in order of first use. */
export function placeholdersIn(text) {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/** Replaces every ${{VAR}}; a variable that is unset or empty is an error that names it. */
export function substitute(text, vars, source = 'appPackage/manifest.json') {
  const missing = placeholdersIn(text).filter((name) => !vars[name]);
  if (missing.length > 0) {
    throw new Error(
      `${source} needs ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not set in this environment: ` +
        'run the Toolkit provision for it, or set them in env/.env.<env> (secrets in env/.env.<env>.user).',
    );
  }
  return text.replace(PLACEHOLDER, (_, name) => vars[name]);
}

/** Substitutes the manifest for an environment and validates it against Microsoft's schema. */
export async function renderManifest(vars) {
  const text = substitute(readFileSync(`${root}appPackage/manifest.json`, 'utf8'), vars);
  const manifest = JSON.parse(text);
  const errors = await AppManifestUtils.validateAgainstSchema(manifest);
  if (errors.length > 0) {
    throw new Error(`appPackage/manifest.json does not match its schema:\n  ${errors.join('\n  ')}`);
  }
  return text;
}

/**
 * The manifest's other languages (localizationInfo.additionalLanguages; Microsoft Learn, "Localize
 * your app"): each file rendered like the manifest, checked against the Localization schema bundled
 * with @microsoft/app-manifest for the manifest's version, and each key naming a field the manifest
 * has. Returns [{ name, text }] for the zip.
 * @param {string} manifestText the rendered manifest
 * @param {Record<string, string>} vars
 */
export async function renderLocalizations(manifestText, vars) {
  const manifest = JSON.parse(manifestText);
  const schemaFile = `${dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest'))}/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`;
  // Draft-04 in name only (no keyword of its own): Ajv 8 compiles it with the meta-schema line left
  // out. Its key patterns are not valid as Unicode regular expressions ("\\b]"), hence unicodeRegExp.
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', /^https:\/\/\S+$/);
  const validate = ajv.compile(schema);
  const files = [];
  for (const { languageTag, file } of manifest.localizationInfo?.additionalLanguages ?? []) {
    const source = `appPackage/${file}`;
    if (!existsSync(`${root}${source}`))
      throw new Error(`appPackage/manifest.json names ${source} for ${languageTag}, which does not exist.`);
    const text = substitute(readFileSync(`${root}${source}`, 'utf8'), vars, source);
    const strings = JSON.parse(text);
    const errors = validate(strings)
      ? []
      : (validate.errors ?? []).map(
          (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
        );
    const unknown = Object.keys(strings).filter(
      (key) => key !== '$schema' && valueAt(manifest, key) === undefined,
    );
    if (unknown.length) errors.push(`names fields the manifest does not have: ${unknown.join(', ')}`);
    if (errors.length > 0)
      throw new Error(`${source} (${languageTag}) does not match its schema:\n  ${errors.join('\n  ')}`);
    files.push({ name: file, text });
  }
  return files;
}

/** The manifest's value at a localization key such as "staticTabs[0].name" or "name.short". */
function valueAt(manifest, key) {
  return key
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .reduce((node, part) => (node == null ? undefined : node[part]), manifest);
}

/** A zip archive (deflated entries, fixed 1980-01-01 timestamps so the bytes depend only on the content). */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0); // version needed: 2.0
    common.writeUInt16LE(0x0800, 2); // UTF-8 names
    common.writeUInt16LE(8, 4); // deflate
    common.writeUInt16LE(0, 6); // time 00:00
    common.writeUInt16LE(0x21, 8); // date 1980-01-01
    common.writeUInt32LE(crc, 10);
    common.writeUInt32LE(compressed.length, 14);
    common.writeUInt32LE(data.length, 18);
    common.writeUInt16LE(nameBytes.length, 22);
    common.writeUInt16LE(0, 24); // no extra field
    const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), common, nameBytes, compressed]);
    const tail = Buffer.alloc(14); // comment length, disk, internal attrs, external attrs, local header offset
    tail.writeUInt32LE(offset, 10);
    centrals.push(Buffer.concat([Buffer.from([0x50, 0x4b, 0x01, 0x02, 20, 0]), common, tail, nameBytes]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Builds appPackage/build/appPackage.<env>.zip and returns its path. */
export async function buildAppPackage(envName, options) {
  const vars = readEnvironment(envName, options);
  const manifest = await renderManifest(vars);
  const languages = await renderLocalizations(manifest, vars);
  const archive = zip([
    { name: 'manifest.json', data: Buffer.from(manifest, 'utf8') },
    { name: 'color.png', data: readFileSync(`${root}appPackage/color.png`) },
    { name: 'outline.png', data: readFileSync(`${root}appPackage/outline.png`) },
    ...languages.map(({ name, text }) => ({ name, data: Buffer.from(text, 'utf8') })),
  ]);
  mkdirSync(`${root}appPackage/build`, { recursive: true });
  const output = `${root}appPackage/build/appPackage.${envName}.zip`;
  writeFileSync(output, archive);
  return output;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const envName = process.argv[2] ?? 'dev';
  buildAppPackage(envName).then(
    (output) => console.log(`wrote ${output.slice(root.length)}`),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
