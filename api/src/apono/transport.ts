// How Apono calls leave the process: node:http / node:https on kept-alive connections, behind the
// fetch signature that openapi-fetch expects. Node's built-in fetch (undici) spent about twice the CPU
// per call (~1.4 vs ~0.7 ms for the 45 KB MyTasks page, bench/ on this machine), and every list read
// of the tab pays it once per page.
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
export async function nodeFetch(input: Request): Promise<Response> {
  const url = new URL(input.url);
  const https = url.protocol === 'https:';
  if (!https && url.protocol !== 'http:')
    throw new TypeError(`Apono calls go over http(s), not ${url.protocol}`);
  const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br' };
  input.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = input.body ? Buffer.from(await input.arrayBuffer()) : null;
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
          ok(
            // A plain Uint8Array view of the same bytes: what every lib's BodyInit accepts.
            new Response(
              NO_BODY.has(status)
                ? null
                : new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length),
              {
                status,
                statusText: res.statusMessage ?? '',
                headers: answer,
              },
            ),
          );
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
