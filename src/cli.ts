#!/usr/bin/env node
import { runCli } from './cli/run-cli.js';
import { unsupportedNode } from './util/node-floor.js';

// `planecheck check | head -3`: a reader that stops early is no error, and no reason for a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

const oldNode = unsupportedNode(process.versions.node);
if (oldNode !== undefined) {
  process.stderr.write(`planecheck: ${oldNode}\n`);
  process.exitCode = 2;
} else {
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
  });
}
