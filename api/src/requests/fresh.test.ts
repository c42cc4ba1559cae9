// The list's answer as it goes on the wire: the coding the client asked for, the same ETag whatever
// the coding, 304 for a body the client holds, and small answers left as they are.
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import compression from 'compression';
import express from 'express';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendFresh } from './fresh.js';

const list = {
  requests: Array.from({ length: 200 }, (_, i) => ({ id: `AR-${i}`, justification: `needed ${i}` })),
};
const app = express();
app.use(compression());
app.get('/list', (req, res) => sendFresh(req, res, list));
app.get('/small', (req, res) => sendFresh(req, res, { ok: true }));

let base = '';
beforeAll(async () => {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((ok) => server.once('listening', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return () => new Promise<void>((ok) => server.close(() => ok()));
});

/** The answer's bytes as sent, not decoded (a client library would decode them). */
const get = (path: string, headers: Record<string, string>) =>
  new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((ok, fail) => {
    httpGet(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', fail);
  });

describe('a list answer on the wire', () => {
  it.each([
    ['br', brotliDecompressSync],
    ['gzip', gunzipSync],
  ])(
    'is %s-compressed when the client takes it, the same bytes each time, under one ETag',
    async (coding, decode) => {
      const first = await get('/list', { 'accept-encoding': `${coding}, identity` });
      const again = await get('/list', { 'accept-encoding': `${coding}, identity` });
      const plain = await get('/list', { 'accept-encoding': 'identity' });
      expect(first.headers['content-encoding']).toBe(coding);
      expect(first.headers.vary).toMatch(/accept-encoding/i);
      expect(JSON.parse(decode(first.body).toString())).toEqual(list);
      expect(again.body).toEqual(first.body);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(plain.body.toString())).toEqual(list);
      expect(first.headers.etag).toBe(plain.headers.etag);
      const held = await get('/list', { 'accept-encoding': coding, 'if-none-match': first.headers.etag! });
      expect(held.status).toBe(304);
      expect(held.body.length).toBe(0);
    },
  );

  it('prefers brotli when the client takes both, as the Teams webview does', async () => {
    const res = await get('/list', { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.headers['content-encoding']).toBe('br');
  });

  it('leaves an answer under 1 KB uncompressed', async () => {
    const res = await get('/small', { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(res.body.toString())).toEqual({ ok: true });
  });
});
