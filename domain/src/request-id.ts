// What an Apono request ID may look like wherever one arrives from outside (a URL, a card, a webhook,
// a pasted link). It becomes a path segment of Apono's API, so "." and ".." must never pass: they
// would address another endpoint. IDs start with a letter or digit (AR-1042, or a UUID).

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export function isRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID.test(value);
}
