// The fields every activity a channel sends a bot carries ("Bot Framework -- Activity", basic
// activity structure: type, from, recipient, conversation and serviceUrl; an invoke's name; and a
// message extension's value, its command: Teams "Search commands" / "Link unfurling"). Teams'
// signed activities always have them. In sandbox mode nothing signs an activity, and one without
// them made the SDK throw and answer 500; it is refused here with a sentence instead.
import type { RequestHandler } from 'express';
import { AppError } from '../http/errors.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const hasId = (v: unknown) => isObject(v) && typeof v.id === 'string' && v.id.length > 0;

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** What is missing or wrong in an activity, in a sentence; null when it can be handled. */
export function activityProblem(body: unknown): string | null {
  if (!isObject(body)) return 'An activity is a JSON object.';
  if (typeof body.type !== 'string' || !body.type) return 'The activity has no type.';
  for (const field of ['from', 'recipient', 'conversation'])
    if (!hasId(body[field])) return `The activity has no ${field}.id.`;
  if (!isHttpUrl(body.serviceUrl)) return 'The activity has no serviceUrl (an http or https URL).';
  if (body.type === 'invoke') {
    if (typeof body.name !== 'string' || !body.name) return 'The invoke activity has no name.';
    if (body.name.startsWith('composeExtension/') && !isObject(body.value))
      return `The ${body.name} invoke has no value.`;
  }
  return null;
}

/** Refuses, with a 400 and the sentence, an activity the bot could not handle. */
export const refuseMalformedActivity: RequestHandler = (req, _res, next) => {
  if (req.method !== 'POST') return next();
  const problem = activityProblem(req.body);
  next(problem ? new AppError('bad_request', problem) : undefined);
};
