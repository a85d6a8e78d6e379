// The reference: a bare undici client doing a plane check's requests, in a process that loads nothing
// else, so its CPU and RSS are what Node and undici alone need for the same work.
// argv: url planes concurrency pollInterval cycles [connections] [periodMs] [bodyFile]. Prints one JSON line,
// or with bodyFile more (below).
// connections: `keep-alive` (default: one agent for every cycle, warm cycles reuse its connections) or
// `fresh` (a new agent each cycle, as a client sees after a minute's idle; closing it is not measured).
// periodMs: run as the daemon's schedule does (default 0: cycles back to back): the first cycle at once, the
// others on the wall clock's multiples of periodMs, idle in between; each cycle's CPU is then counted from the
// end of the one before, its idle (and the closing of the old agent) included, as the daemon's is. Idle matters:
// a cycle that follows seconds of idle costs more CPU than one that follows another at once (caches and the
// kernel's state go cold), so a reference for a scheduled daemon idles too.
// bodyFile: also serve the daemon's /metrics bytes from this process (reference-server.ts), the floor for
// scrapes during a cycle: the same event loop and machine shared with the checks, nothing else. Prints
// {"url": ...} first, then {"cycleBegan": n, "at": ms} and {"cycleEnded": n, "at": ms} (wall clock) around each
// cycle, then the result line.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { measure, peakRssMb, pool, processCpu, summarize } from './measure.js';
import { serveReferenceBody } from './reference-server.js';

const [
  url = '',
  planesArg = '1000',
  concurrencyArg = '50',
  pollMs = '10',
  cyclesArg = '8',
  connections = 'keep-alive',
  periodArg = '0',
  bodyFile,
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

const reference = bodyFile === undefined ? undefined : await serveReferenceBody(bodyFile);
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
if (reference) say({ url: reference.url });

const newAgent = () => new Agent({ keepAliveTimeout: 60_000 });
let agent = newAgent();
const runs = [];
const periodMs = Number(periodArg);
/** CPU per check in each cycle, all threads and the main thread, counted as `periodMs` says. */
const cycleCpu: number[] = [];
const cycleMain: number[] = [];
let last = { total: process.cpuUsage(), main: processCpu(process.pid).mainMs };
for (let i = 0; i < Number(cyclesArg); i++) {
  if (periodMs > 0 && i > 0) await sleep(periodMs - (Date.now() % periodMs));
  if (connections === 'fresh' && i > 0) {
    await agent.close();
    agent = newAgent();
  }
  if (periodMs === 0) last = { total: process.cpuUsage(), main: processCpu(process.pid).mainMs };
  const cycleAgent = agent;
  if (reference) say({ cycleBegan: i + 1, at: Date.now() });
  runs.push(
    await measure(PLANES, () =>
      pool(PLANES, Number(concurrencyArg), (n) => bareCheck(cycleAgent, `plane-${n}`)),
    ),
  );
  if (reference) say({ cycleEnded: i + 1, at: Date.now() });
  const used = process.cpuUsage(last.total);
  const main = processCpu(process.pid).mainMs;
  cycleCpu.push((used.user + used.system) / 1000 / PLANES);
  cycleMain.push((main - last.main) / PLANES);
  last = { total: process.cpuUsage(), main };
}
await agent.close();
reference?.server.close();
say({ ...summarize(runs), cycleCpuMs: cycleCpu, cycleMainCpuMs: cycleMain, peakRssMb: peakRssMb() });
