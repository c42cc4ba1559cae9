// The transport Apono calls use, against a real HTTP server on loopback: what it sends, what it
// hands back (decoded), and that a deadline ends the call as a TimeoutError.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch, PlainRequest } from './transport.js';

let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const json = JSON.stringify({
        message: 'ok',
        items: Array.from({ length: 200 }, (_, i) => `item ${i}`),
      });
      if (req.url === '/gzip') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(json));
      } else if (req.url === '/br') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
        res.end(brotliCompressSync(json));
      } else if (req.url === '/bom') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"message":"ok"}')]));
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else if (req.url === '/slow') {
        setTimeout(() => res.writeHead(200).end('{}'), 2_000).unref();
      } else if (req.url === '/busy') {
        res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
        res.end('{"message":"slow down"}');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(json);
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

describe('Apono calls over node:http', () => {
  it('sends the method, headers and JSON body it was given, and hands back status and body', async () => {
    const res = await nodeFetch(
      new Request(`${base}/approve?x=1`, {
        method: 'POST',
        headers: { authorization: 'Bearer abc', 'content-type': 'application/json' },
        body: JSON.stringify({ justification: 'needed for the incident' }),
      }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { message: string }).message).toBe('ok');
    const sent = seen.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', url: '/approve?x=1' });
    expect(sent.headers.authorization).toBe('Bearer abc');
    expect(JSON.parse(sent.body)).toEqual({ justification: 'needed for the incident' });
  });

  it.each(['gzip', 'br'])(
    'decodes a %s answer and drops the coding from the headers it hands on',
    async (coding) => {
      const res = await nodeFetch(new Request(`${base}/${coding}`));
      const body = (await res.json()) as { items: string[] };
      expect(body.items).toHaveLength(200);
      expect(res.headers.get('content-encoding')).toBeNull();
      expect(seen.at(-1)!.headers['accept-encoding']).toContain(coding);
    },
  );

  it('keeps a refusal as an answer, with its headers (Retry-After)', async () => {
    const res = await nodeFetch(new Request(`${base}/busy`));
    expect(res.ok).toBe(false);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('answers 204 with no body', async () => {
    const res = await nodeFetch(new Request(`${base}/empty`));
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('ends a call past its deadline with the signal’s TimeoutError', async () => {
    const call = nodeFetch(new Request(`${base}/slow`, { signal: AbortSignal.timeout(50) }));
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('refuses a URL that is not http(s), and fails a call nobody answers', async () => {
    await expect(nodeFetch(new Request('ftp://127.0.0.1/x'))).rejects.toThrow(/http\(s\)/);
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    await expect(nodeFetch(new Request(`http://127.0.0.1:${port}/`))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

// What openapi-fetch builds when the client gives it PlainRequest (production's path): the same
// calls, the same answers as with undici's Request and Response.
describe('plain requests and answers', () => {
  it('send the method, headers and JSON body, and hand back status, headers and body', async () => {
    const res = await nodeFetch(
      new PlainRequest(`${base}/approve?x=1`, {
        method: 'post',
        headers: new Headers({ authorization: 'Bearer abc', 'content-type': 'application/json' }),
        body: JSON.stringify({ justification: 'needed for the incident' }),
      }),
    );
    expect(res.ok).toBe(true);
    expect(((await res.json()) as { message: string }).message).toBe('ok');
    const sent = seen.at(-1)!;
    expect(sent).toMatchObject({
      method: 'POST',
      url: '/approve?x=1',
      body: '{"justification":"needed for the incident"}',
    });
    expect(sent.headers.authorization).toBe('Bearer abc');
    expect(sent.headers['content-length']).toBe(String(sent.body.length));
  });

  it('decode a compressed answer, drop a BOM as Response.text() does, and keep a refusal with its headers', async () => {
    expect(
      ((await (await nodeFetch(new PlainRequest(`${base}/br`))).json()) as { items: string[] }).items,
    ).toHaveLength(200);
    expect(await (await nodeFetch(new PlainRequest(`${base}/bom`))).text()).toBe(
      await (await nodeFetch(new Request(`${base}/bom`))).text(),
    );
    const busy = await nodeFetch(new PlainRequest(`${base}/busy`));
    expect([busy.ok, busy.status, busy.headers.get('retry-after')]).toEqual([false, 429, '7']);
    expect(await busy.json()).toEqual({ message: 'slow down' });
    const empty = await nodeFetch(new PlainRequest(`${base}/empty`));
    expect([empty.status, empty.body, await empty.text()]).toEqual([204, null, '']);
  });

  it('end a call past its deadline with the signal’s TimeoutError, and refuse a body that is not JSON text', async () => {
    const call = nodeFetch(new PlainRequest(`${base}/slow`, { signal: AbortSignal.timeout(50) }));
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(() => new PlainRequest(`${base}/`, { method: 'POST', body: new Uint8Array([1]) })).toThrow(
      /JSON body/,
    );
  });
});
