// A Bot Connector on loopback for benchmarks: answers the calls the bot makes (open a 1:1 chat, post,
// update, members) as Teams does, remembers when each post or update arrived and where, and, when
// asked, answers 429 (Retry-After: 1) to what goes beyond `perSecond` in any one second, as Teams
// throttles an app (Microsoft Learn, "Optimize your bot with rate limiting": about 50 a second).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

export async function startConnector({ perSecond = Infinity, members = [] } = {}) {
  const accepted = []; // { at, conversation, method }
  let throttled = 0;
  const recent = []; // arrival times of posts and updates in the last second, throttled or not
  const json = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = new URL(req.url, 'http://x').pathname;
      const at = Date.now();
      const write = req.method === 'POST' || req.method === 'PUT';
      if (write && path.includes('/activities')) {
        while (recent.length && recent[0] <= at - 1000) recent.shift();
        recent.push(at);
        if (recent.length > perSecond) {
          throttled++;
          res.setHeader('Retry-After', '1');
          return json(res, 429, { error: { code: 'Throttled', message: 'Too many requests' } });
        }
      }
      let m;
      if (req.method === 'POST' && path === '/v3/conversations')
        return json(res, 201, { id: `a:bench-${randomUUID()}` });
      if ((m = /^\/v3\/conversations\/([^/]+)\/activities$/.exec(path)) && req.method === 'POST') {
        accepted.push({ at, conversation: decodeURIComponent(m[1]), method: 'POST' });
        return json(res, 201, { id: `msg-${randomUUID()}` });
      }
      if ((m = /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/.exec(path)) && req.method === 'PUT') {
        accepted.push({ at, conversation: decodeURIComponent(m[1]), method: 'PUT' });
        return json(res, 200, { id: decodeURIComponent(m[2]) });
      }
      if ((m = /^\/v3\/conversations\/[^/]+\/members\/([^/]+)$/.exec(path))) {
        const member = members.find((p) => p.id === decodeURIComponent(m[1]));
        return member ? json(res, 200, member) : json(res, 404, { error: { code: 'NotFound' } });
      }
      if (/^\/v3\/conversations\/[^/]+\/(members|pagedMembers|pagedmembers)$/.test(path))
        return json(res, 200, path.endsWith('members') ? members : { members });
      json(res, 404, { error: { code: 'NotFound', message: path } });
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Posts and updates answered 2xx, in arrival order. */
    accepted,
    throttled: () => throttled,
    reset() {
      accepted.length = 0;
      throttled = 0;
    },
    close: () => new Promise((ok) => server.close(ok)),
  };
}
