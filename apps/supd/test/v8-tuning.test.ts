// The V8 settings supd applies for a daemon's memory (src/v8-tuning.ts).
import { readFileSync } from 'node:fs';
import { compileFunction } from 'node:vm';
import { expect, test } from 'vitest';
import { collectStartupGarbage } from '../src/v8-tuning.ts';

test('collectStartupGarbage collects what is unreachable, and leaves natives syntax off', async () => {
  let garbage: object | null = { start: 'up' };
  const ref = new WeakRef(garbage);
  garbage = null;
  // A WeakRef holds its target until the end of the job that made it.
  await new Promise((resolve) => setImmediate(resolve));
  collectStartupGarbage();
  expect(ref.deref()).toBeUndefined();
  expect(() => new Function('%CollectGarbage(0)')).toThrow(SyntaxError);
});

// Not V8 settings, but how V8 runs supd: the bundles the bin runs are strict mode code, as the
// ES module sources are (a banner above esbuild's "use strict" would make it a mere expression).
test.each(['daemon.cjs', 'v8-tuning.cjs'])('dist/%s is strict mode code', (file) => {
  const source = readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8');
  const body = compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname']);
  // Reading `caller` of a strict function throws; of a sloppy one it gives null.
  expect(() => body.caller).toThrow(TypeError);
});
