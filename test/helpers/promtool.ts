import { spawn } from 'node:child_process';

/** Runs `promtool check metrics` on an exposition; returns what promtool said (empty when clean). */
export function promtoolCheckMetrics(exposition: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) =>
      reject(new Error(`promtool could not run (${error.message}); install the Debian package "prometheus"`)),
    );
    child.on('close', (code) => resolve({ code, output: output.trim() }));
    child.stdin.end(exposition);
  });
}
