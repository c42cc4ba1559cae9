// The floor under the throughput lines of `npm run bench`: the least a proxy in front of Apono can do
// on this machine, in its own Node process as the server runs. It answers every request with one
// kept-alive node:http call to Apono's MyTasks list, as the server does, and nothing else: no
// authentication, no mapping, no logging. With RELAY_PARSE=1 it also reads the JSON and writes it
// again, the least any proxy that looks at the list must add. Not shipped anywhere.
import { Agent, createServer, request } from 'node:http';

const target = new URL(process.env.RELAY_TARGET);
const agent = new Agent({ keepAlive: true });
const parse = process.env.RELAY_PARSE === '1';

createServer((req, res) => {
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      headers: { authorization: req.headers.authorization ?? '' },
      agent,
    },
    (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json' });
        res.end(parse ? JSON.stringify(JSON.parse(body.toString('utf8'))) : body);
      });
    },
  );
  upstream.on('error', () => res.writeHead(502).end());
  upstream.end();
}).listen(Number(process.env.RELAY_PORT), '127.0.0.1');
