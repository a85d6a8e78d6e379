// The reference: a bare undici client doing a plane check's requests, in a process that loads nothing
// else, so its CPU and RSS are what Node and undici alone need for the same work.
// argv: url planes concurrency pollInterval cycles [connections] [periodMs]. Prints one JSON line.
// connections: `keep-alive` (default: one agent for every cycle, warm cycles reuse its connections) or
// `fresh` (a new agent each cycle, as a client sees after a minute's idle; closing it is not measured).
// periodMs: start a cycle every periodMs, idle in between, as the daemon's schedule does (default 0: back
// to back). Idle matters: a cycle that follows seconds of idle costs more CPU than one that follows another
// cycle at once (caches and the kernel's state go cold), so a reference for a scheduled daemon idles too.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { measure, peakRssMb, pool, processCpu, summarize } from './measure.js';

const [
  url = '',
  planesArg = '1000',
  concurrencyArg = '50',
  pollMs = '10',
  cyclesArg = '8',
  connections = 'keep-alive',
  periodArg = '0',
] = process.argv.slice(2);
if (connections !== 'keep-alive' && connections !== 'fresh') throw new Error(`connections: ${connections}?`);
const PLANES = Number(planesArg);

/** The requests of one plane check, with nothing but undici `request` on a keep-alive agent. */
async function bareCheck(agent: Agent, plane: string): Promise<void> {
  const headers = { authorization: 'Api-Key bench-key', 'content-type': 'application/json' };
  const json = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await request(`${url}${path}`, {
      dispatcher: agent,
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.body.json()) as Record<string, unknown>;
  };
  const users = (await json('GET', `/v1/users?email=admin__smoke_test_${plane}`)).users as {
    organization_id: string;
  }[];
  const org = users[0]?.organization_id ?? '';
  const models = (await json('GET', `/v1/organizations/${org}/models?name=health-check-model`)).models as {
    id: string;
  }[];
  const base = `/planes/${plane}/models/${models[0]?.id ?? ''}`;
  await Promise.all([
    json('POST', `${base}/production/predict`, { prompt: 'ping' }),
    (async () => {
      const submitted = (await json('POST', `${base}/production/async_predict`, {
        model_input: { prompt: 'ping' },
      })) as { request_id: string };
      await sleep(Number(pollMs));
      await json('GET', `${base}/async_request/${submitted.request_id}`);
    })(),
  ]);
}

const newAgent = () => new Agent({ keepAliveTimeout: 60_000 });
let agent = newAgent();
const runs = [];
/** The main thread's CPU per check in each cycle (the rest of a cycle's CPU is V8's and libuv's helpers). */
const mainRuns: number[] = [];
const periodMs = Number(periodArg);
const firstStart = performance.now();
for (let i = 0; i < Number(cyclesArg); i++) {
  if (periodMs > 0) await sleep(Math.max(0, firstStart + i * periodMs - performance.now()));
  if (connections === 'fresh' && i > 0) {
    await agent.close();
    agent = newAgent();
  }
  const cycleAgent = agent;
  const mainBefore = processCpu(process.pid).mainMs;
  runs.push(
    await measure(PLANES, () =>
      pool(PLANES, Number(concurrencyArg), (n) => bareCheck(cycleAgent, `plane-${n}`)),
    ),
  );
  mainRuns.push((processCpu(process.pid).mainMs - mainBefore) / PLANES);
}
await agent.close();
process.stdout.write(
  `${JSON.stringify({ ...summarize(runs), cycleCpuMs: runs.map((run) => run.cpu), cycleMainCpuMs: mainRuns, peakRssMb: peakRssMb() })}\n`,
);
