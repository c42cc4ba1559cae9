// Apono answers errors as `{ "message": "..." }` with an HTTP status; the sandbox does the same.

export class SandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

export const notFound = (what: string) => new SandboxError(404, `${what} was not found`);
