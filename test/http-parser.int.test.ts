import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runNode } from './helpers/run.js';

/**
 * The largest function V8 recompiled with TurboFan in a child that sent `count` requests, in bytes of
 * WebAssembly. A small tiering budget makes V8 tier up hot functions after a few requests.
 */
async function largestOptimizedWasmFunction(agent: 'planecheck' | 'plain'): Promise<number> {
  const run = await runNode([
    '--import',
    'tsx',
    '--wasm-tiering-budget=20000',
    '--trace-wasm-compilation-times',
    'test/fixtures/parse-responses.ts',
    agent,
    '200',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const sizes = [...run.stdout.matchAll(/using TurboFan.*bodysize (\d+)/g)].map((match) => Number(match[1]));
  return Math.max(0, ...sizes);
}

// llhttp's parser is one ~34 KB WebAssembly function; the module lexers that Node and tsx compile
// are under 2 KB each, so a TurboFan compilation above 20 KB is the HTTP parser's.
const HTTP_PARSER_MIN_BYTES = 20_000;

describe("undici's HTTP parser stays on V8's baseline compiler", () => {
  it('is recompiled by TurboFan under a default undici Agent (the control)', async () => {
    assert.ok((await largestOptimizedWasmFunction('plain')) >= HTTP_PARSER_MIN_BYTES);
  });

  it("is not recompiled under the platform's agent", async () => {
    assert.ok((await largestOptimizedWasmFunction('planecheck')) < HTTP_PARSER_MIN_BYTES);
  });
});
