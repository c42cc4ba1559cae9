import type { RequestHandler, Response } from 'express';
import type { Logger } from '../log.js';
import { verifyCaller, type Caller, type TokenRules } from './tokens.js';

/** Told of each verified caller (the bot keeps object ID → email); never delays or fails the request. */
export type SignedInListener = (caller: Caller) => Promise<void>;

/** Every /api route except the public ones runs behind this: no valid token, no answer. */
export function authenticate(rules: TokenRules, onSignedIn?: SignedInListener, log?: Logger): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const caller = await verifyCaller(token, rules);
    res.locals.caller = caller;
    onSignedIn?.(caller).catch((err: unknown) =>
      log?.warn({ err: (err as Error).message }, 'could not remember who signed in'),
    );
    next();
  };
}

export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}
