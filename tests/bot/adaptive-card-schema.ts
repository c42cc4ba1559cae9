// A strict check of the Adaptive Cards the bot sends, transcribed from the official Adaptive Card 1.5
// schema (microsoft/AdaptiveCards, schemas/1.5.0/adaptive-card.json, commit 0353e1bd) for every element
// and action the cards use: TextBlock, FactSet/Fact, Container, ActionSet, Input.Text (with
// Extendable.Input), Action.Execute and Action.OpenUrl (with Extendable.Action), Refresh and the card
// itself — the same property names, enums (case-insensitive, as there) and required fields, with
// additionalProperties: false. It is stricter than the official file on purpose: an element type the
// cards do not use, a null value or a non-http(s) link fails. The whole 94 KB file is not vendored
// because it can only be read here, not downloaded.
import { Ajv } from 'ajv';

/** A case-insensitive enum, as the Adaptive Cards schema allows. */
function caseless(...values: string[]) {
  const pattern = values
    .map((v) => [...v].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join(''))
    .join('|');
  return { type: 'string', pattern: `^(${pattern})$` };
}

const spacing = caseless('default', 'none', 'small', 'medium', 'large', 'extraLarge', 'padding');
const element = {
  id: { type: 'string' },
  isVisible: { type: 'boolean' },
  separator: { type: 'boolean' },
  spacing,
  height: caseless('auto', 'stretch'),
  requires: { type: 'object', additionalProperties: { type: 'string' } },
  fallback: {},
};
const action = {
  title: { type: 'string' },
  iconUrl: { type: 'string' },
  id: { type: 'string' },
  style: caseless('default', 'positive', 'destructive'),
  fallback: {},
  tooltip: { type: 'string' },
  isEnabled: { type: 'boolean' },
  mode: caseless('primary', 'secondary'),
  requires: { type: 'object', additionalProperties: { type: 'string' } },
};

export const adaptiveCard15Schema = {
  $id: 'adaptive-card-1.5-subset',
  $ref: '#/definitions/AdaptiveCard',
  definitions: {
    AdaptiveCard: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'version'],
      properties: {
        type: { const: 'AdaptiveCard' },
        version: { const: '1.5' },
        refresh: { $ref: '#/definitions/Refresh' },
        body: { type: 'array', items: { $ref: '#/definitions/Element' } },
        actions: { type: 'array', items: { $ref: '#/definitions/Action' } },
        fallbackText: { type: 'string' },
        speak: { type: 'string' },
        lang: { type: 'string' },
        minHeight: { type: 'string' },
        rtl: { type: ['boolean', 'null'] },
        verticalContentAlignment: caseless('top', 'center', 'bottom'),
        $schema: { type: 'string' },
      },
    },
    Refresh: {
      type: 'object',
      additionalProperties: false,
      properties: {
        type: { const: 'Refresh' },
        action: { $ref: '#/definitions/Action.Execute' },
        userIds: { type: 'array', items: { type: 'string' }, maxItems: 60 },
      },
    },
    Element: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['TextBlock', 'FactSet', 'Container', 'ActionSet', 'Input.Text'] },
      },
      allOf: [
        { if: { properties: { type: { const: 'TextBlock' } } }, then: { $ref: '#/definitions/TextBlock' } },
        { if: { properties: { type: { const: 'FactSet' } } }, then: { $ref: '#/definitions/FactSet' } },
        { if: { properties: { type: { const: 'Container' } } }, then: { $ref: '#/definitions/Container' } },
        { if: { properties: { type: { const: 'ActionSet' } } }, then: { $ref: '#/definitions/ActionSet' } },
        { if: { properties: { type: { const: 'Input.Text' } } }, then: { $ref: '#/definitions/Input.Text' } },
      ],
    },
    Action: {
      type: 'object',
      required: ['type'],
      properties: { type: { enum: ['Action.Execute', 'Action.OpenUrl'] } },
      allOf: [
        {
          if: { properties: { type: { const: 'Action.Execute' } } },
          then: { $ref: '#/definitions/Action.Execute' },
        },
        {
          if: { properties: { type: { const: 'Action.OpenUrl' } } },
          then: { $ref: '#/definitions/Action.OpenUrl' },
        },
      ],
    },
    TextBlock: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'text'],
      properties: {
        type: { const: 'TextBlock' },
        text: { type: 'string' },
        color: caseless('default', 'dark', 'light', 'accent', 'good', 'warning', 'attention'),
        fontType: caseless('default', 'monospace'),
        horizontalAlignment: caseless('left', 'center', 'right'),
        isSubtle: { type: 'boolean' },
        maxLines: { type: 'number' },
        size: caseless('default', 'small', 'medium', 'large', 'extraLarge'),
        weight: caseless('default', 'lighter', 'bolder'),
        wrap: { type: 'boolean' },
        style: caseless('default', 'heading'),
        ...element,
      },
    },
    FactSet: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'facts'],
      properties: {
        type: { const: 'FactSet' },
        facts: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['title', 'value'],
            properties: { type: { const: 'Fact' }, title: { type: 'string' }, value: { type: 'string' } },
          },
        },
        ...element,
      },
    },
    Container: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'items'],
      properties: {
        type: { const: 'Container' },
        items: { type: 'array', items: { $ref: '#/definitions/Element' } },
        style: caseless('default', 'emphasis', 'good', 'attention', 'warning', 'accent'),
        verticalContentAlignment: caseless('top', 'center', 'bottom'),
        bleed: { type: 'boolean' },
        minHeight: { type: 'string' },
        rtl: { type: ['boolean', 'null'] },
        ...element,
      },
    },
    ActionSet: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'actions'],
      properties: {
        type: { const: 'ActionSet' },
        actions: { type: 'array', items: { $ref: '#/definitions/Action' } },
        ...element,
      },
    },
    'Input.Text': {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'id'],
      properties: {
        type: { const: 'Input.Text' },
        isMultiline: { type: 'boolean' },
        maxLength: { type: 'number' },
        placeholder: { type: 'string' },
        regex: { type: 'string' },
        style: caseless('text', 'tel', 'url', 'email', 'password'),
        value: { type: 'string' },
        errorMessage: { type: 'string' },
        isRequired: { type: 'boolean' },
        label: { type: 'string' },
        ...element,
        id: { type: 'string', minLength: 1 },
      },
    },
    'Action.Execute': {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { const: 'Action.Execute' },
        verb: { type: 'string' },
        data: { anyOf: [{ type: 'string' }, { type: 'object' }] },
        associatedInputs: caseless('auto', 'none'),
        ...action,
      },
    },
    'Action.OpenUrl': {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'url'],
      properties: {
        type: { const: 'Action.OpenUrl' },
        url: { type: 'string', pattern: '^https?://' },
        ...action,
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(adaptiveCard15Schema);

/** The problems with a card, in ajv's words; empty when it is a valid Adaptive Card 1.5. */
export function cardProblems(card: unknown): string[] {
  if (validate(card)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
