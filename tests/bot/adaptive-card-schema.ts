// Checks every Adaptive Card the bot sends against Microsoft's official Adaptive Card 1.5 schema
// (tests/fixtures/adaptive-card-1.5.schema.json, from microsoft/AdaptiveCards; see tests/fixtures/README.md),
// then adds what Teams needs and the schema does not say: version 1.5, only the Universal Actions verbs the
// bot handles, each with `data.requestId`, at most 60 `refresh.userIds`, https links only, and under 28 KB.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';

const SCHEMA_FILE = new URL('../fixtures/adaptive-card-1.5.schema.json', import.meta.url);
export const officialSchema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

/** Teams refuses a card over 28 KB (the whole activity); the bot keeps each card well under. */
export const MAX_CARD_BYTES = 28 * 1024;
/** Teams runs `refresh` automatically for at most 60 listed users. */
export const MAX_REFRESH_USERS = 60;
export const VERBS = ['refresh', 'approve', 'reject'] as const;

function compileOfficial(): ValidateFunction {
  // The file is draft-06 with a draft-04 style top-level `id`, which Ajv 8 refuses (it is read here as
  // `$id`, the file stays as published), and descriptive extras ("version", "features", "example") that
  // strict: false lets pass. Ajv 8 also needs the draft-06 meta-schema.
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema(
    createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json') as AnySchemaObject,
  );
  // The two formats it uses; ajv ships none. Links are checked more strictly below.
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S*$/i);
  ajv.addFormat('uri-reference', /^\S*$/);
  const { id, ...rest } = officialSchema as { id: string } & Record<string, unknown>;
  return ajv.compile({ $id: id, ...rest });
}
const validate = compileOfficial();

type Node = Record<string, unknown>;
function walk(node: unknown, path: string, visit: (node: Node, path: string) => void): void {
  if (Array.isArray(node)) node.forEach((child, i) => walk(child, `${path}/${i}`, visit));
  else if (node && typeof node === 'object') {
    visit(node as Node, path);
    for (const [key, child] of Object.entries(node)) walk(child, `${path}/${key}`, visit);
  }
}

/** What Teams and this bot need beyond the schema. */
export function teamsProblems(card: unknown, version: '1.5' | '1.3' = '1.5'): string[] {
  const problems: string[] = [];
  if (!card || typeof card !== 'object') return ['/ must be an object'];
  const top = card as Node;
  if (top.type !== 'AdaptiveCard') problems.push('/type must be AdaptiveCard');
  if (top.version !== version) problems.push(`/version must be "${version}"`);
  // Universal Actions start at 1.4: a 1.3 card (a link unfurl) must not rely on them.
  if (version === '1.3' && top.refresh) problems.push('/refresh needs version 1.4 or later');
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes >= MAX_CARD_BYTES) problems.push(`/ is ${bytes} bytes; Teams allows under ${MAX_CARD_BYTES}`);
  const refresh = top.refresh as Node | undefined;
  if (refresh) {
    const userIds = refresh.userIds as unknown[] | undefined;
    if (!Array.isArray(userIds) || userIds.length === 0)
      problems.push('/refresh/userIds must list the users whose view refreshes');
    else if (userIds.length > MAX_REFRESH_USERS)
      problems.push(`/refresh/userIds has ${userIds.length}; Teams takes at most ${MAX_REFRESH_USERS}`);
    // Teams matches these against user MRIs ("Universal Actions for Adaptive Cards: user-specific views").
    for (const id of userIds ?? [])
      if (typeof id !== 'string' || !/^(29:.+|8:orgid:[0-9a-f-]{32,40})$/i.test(id))
        problems.push(`/refresh/userIds holds ${JSON.stringify(id)}, which is not a Teams user MRI`);
    if ((refresh.action as Node | undefined)?.verb !== 'refresh')
      problems.push('/refresh/action must be the "refresh" verb');
  }
  walk(card, '', (node, path) => {
    if (node.type === 'Action.Execute' && version === '1.3')
      problems.push(`${path} Action.Execute needs version 1.4 or later`);
    if (node.type === 'Action.Execute') {
      if (!VERBS.includes(node.verb as (typeof VERBS)[number]))
        problems.push(`${path}/verb ${JSON.stringify(node.verb)} is not one the bot handles`);
      const data = node.data as Node | undefined;
      if (typeof data?.requestId !== 'string' || !data.requestId)
        problems.push(`${path}/data must carry the requestId`);
    }
    if (node.type === 'Action.Submit' || node.type === 'Action.ShowCard')
      problems.push(`${path} ${String(node.type)}: the bot uses Universal Actions (Action.Execute) only`);
    if (node.type === 'Action.OpenUrl' && !/^https:\/\//.test(String(node.url)))
      problems.push(`${path}/url must be an https link`);
  });
  return problems;
}

/** The problems with a card: the official schema's (in ajv's words) and Teams'; empty when valid. */
export function cardProblems(card: unknown, version: '1.5' | '1.3' = '1.5'): string[] {
  const schema = validate(card)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  return [...new Set(schema), ...teamsProblems(card, version)];
}
