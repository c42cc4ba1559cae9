// Measuring two things side by side: A and B alternate in rounds (A B, then B A, ...) so that drift
// on a shared machine falls on both; each side's figure is the median over rounds, and the spread is
// the range of the per-round ratios.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

/** Runs `a` and `b` `rounds` times each, alternating which goes first. */
export async function alternate(rounds, a, b) {
  const as = [];
  const bs = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return { as, bs };
}

/** Requests per second answered 2xx by `target` ({ url, headers }) over `seconds` with `connections`. */
export async function throughput(target, connections, seconds) {
  const result = await autocannon({
    url: target.url,
    headers: target.headers,
    connections,
    duration: seconds,
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed) throw new Error(`${target.url}: ${failed} of ${result.requests.total} answers were not 2xx`);
  return result.requests.total / (result.duration || seconds);
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function once(target) {
  return new Promise((ok, fail) => {
    const started = performance.now();
    const req = request(target.url, { headers: target.headers, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200
          ? ok(performance.now() - started)
          : fail(new Error(`${target.url}: ${res.statusCode}`)),
      );
    });
    req.on('error', fail);
    req.end();
  });
}

/** `count` requests one after another on one kept-alive connection: their times in ms, sorted. */
export async function latencies(target, count) {
  for (let i = 0; i < 20; i++) await once(target); // warm up
  const samples = [];
  for (let i = 0; i < count; i++) samples.push(await once(target));
  return samples.sort((x, y) => x - y);
}

export const percentiles = (sorted) => ({ p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) });
