// How Apono calls leave the process: node:http / node:https on kept-alive connections, behind the
// fetch signature that openapi-fetch expects. Node's built-in fetch (undici) spent about twice the CPU
// per call (~1.4 vs ~0.7 ms for the 45 KB MyTasks page, bench/ on this machine), and every list read
// of the tab pays it once per page. Undici's Request and Response objects alone (built for each call,
// a signal that follows the caller's, web streams for the body) cost another ~0.6 ms of a 2.5 ms answer
// at one connection, so openapi-fetch is given PlainRequest and handed back a PlainResponse: the
// parts of each that it and the client read, and no more.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Readable } from 'node:stream';

// Kept-alive sockets are reused across calls; an idle one is closed after a while (Node's default).
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/** A status that has no body (RFC 9110 §15.3.5, §15.3.6, §15.4.5): Response refuses one. */
const NO_BODY = new Set([101, 204, 205, 304]);

/** The body as sent, decoded from the content coding Apono chose (we ask as fetch does). */
function decoded(res: IncomingMessage): Readable {
  switch ((res.headers['content-encoding'] ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return res.pipe(createGunzip());
    case 'deflate':
      return res.pipe(createInflate());
    case 'br':
      return res.pipe(createBrotliDecompress());
    default:
      return res;
  }
}

/**
 * What openapi-fetch builds for a call when given this class as its `Request`: the URL, method,
 * headers, signal and the serialized JSON body (openapi-fetch's bodySerializer makes a string).
 */
export class PlainRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  readonly body: string | null;
  constructor(url: string, init: RequestInit = {}) {
    this.url = url;
    this.method = (init.method ?? 'GET').toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.signal = init.signal ?? new AbortController().signal;
    if (init.body != null && typeof init.body !== 'string')
      throw new TypeError('an Apono call sends a JSON body (a string)');
    this.body = init.body ?? null;
  }
}

/** The answer as openapi-fetch and the client read it: status, headers and the decoded body. */
export class PlainResponse {
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    private readonly bytes: Buffer | null,
  ) {}
  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }
  /** As Response's: null for a status that has no body. */
  get body(): ReadableStream<Uint8Array> | null {
    return this.bytes ? new Response(new Uint8Array(this.bytes)).body : null;
  }
  /** As Response.text() decodes: UTF-8, bad bytes replaced (U+FFFD), a leading BOM dropped. */
  async text(): Promise<string> {
    const text = this.bytes ? this.bytes.toString('utf8') : '';
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.bytes ?? []).buffer;
  }
}

async function bodyOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * fetch(Request) over node:http(s). Follows no redirect (Apono's client API sends none; a 3xx is an
 * answer the client reports). The request's signal aborts the call with the signal's own reason, so
 * a timeout still reads as a TimeoutError.
 */
export async function nodeFetch(input: Request | PlainRequest): Promise<Response> {
  const url = new URL(input.url);
  const https = url.protocol === 'https:';
  if (!https && url.protocol !== 'http:')
    throw new TypeError(`Apono calls go over http(s), not ${url.protocol}`);
  const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br' };
  input.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body =
    input instanceof PlainRequest
      ? input.body === null
        ? null
        : Buffer.from(input.body)
      : input.body
        ? Buffer.from(await input.arrayBuffer())
        : null;
  if (body) headers['content-length'] = String(body.length);
  const signal = input.signal;
  signal.throwIfAborted();

  return new Promise<Response>((ok, fail) => {
    const req = (https ? httpsRequest : httpRequest)(url, {
      method: input.method,
      headers,
      agent: https ? agents.https : agents.http,
    });
    const abort = () => req.destroy(signal.reason as Error);
    signal.addEventListener('abort', abort, { once: true });
    const done = () => signal.removeEventListener('abort', abort);
    req.on('error', (err) => {
      done();
      fail(signal.aborted ? (signal.reason as Error) : err);
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const coded = !!res.headers['content-encoding'];
      const answer = new Headers();
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        const name = res.rawHeaders[i]!.toLowerCase();
        // The body handed on is decoded: its coding and length are those of the bytes on the wire.
        if (coded && (name === 'content-encoding' || name === 'content-length')) continue;
        answer.append(name, res.rawHeaders[i + 1]!);
      }
      bodyOf(decoded(res)).then(
        (bytes) => {
          done();
          const plain = new PlainResponse(
            status,
            res.statusMessage ?? '',
            answer,
            NO_BODY.has(status) ? null : bytes,
          );
          // The fetch signature's Response, in the parts openapi-fetch and the client read.
          ok(plain as unknown as Response);
        },
        (err: unknown) => {
          done();
          fail(signal.aborted ? (signal.reason as Error) : err);
        },
      );
    });
    req.end(body ?? undefined);
  });
}
