// Runs the sandbox platform in its own process, so the benchmark's CPU figures are planecheck's alone.
import { SandboxPlatform } from '../src/sandbox/sandbox-platform.js';

const planes = Number(process.argv[2] ?? 1000);
const latencyMs = Number(process.argv[3] ?? 0);
const sandbox = new SandboxPlatform({
  apiKey: 'bench-key',
  planes: Object.fromEntries(Array.from({ length: planes }, (_, i) => [`plane-${i}`, 'healthy' as const])),
  latencyMs,
});
const url = await sandbox.start();
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.once('SIGTERM', () => void sandbox.close().then(() => process.exit(0)));
