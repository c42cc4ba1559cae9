import type { RequestHandler, Response } from 'express';
import { verifyCaller, type Caller, type TokenRules } from './tokens.js';

/** Every /api route except the public ones runs behind this: no valid token, no answer. */
export function authenticate(rules: TokenRules): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    res.locals.caller = await verifyCaller(token, rules);
    next();
  };
}

export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}
