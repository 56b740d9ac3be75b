import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@supctl/test-utils';
import { expect, test, vi } from 'vitest';
import { serve } from './helpers.ts';

// The README's front end, run as written against a server with a fake API.
function readmeCode(): string {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  return code!;
}

test('the README example runs as written', async () => {
  const code = readmeCode();
  const lines = code.split('\n').length;
  expect(lines).toBeLessThanOrEqual(30);

  await using served = await serve({
    auth: { username: 'admin', password: '{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef' },
  });
  vi.stubEnv('SUPD_URL', served.url);
  vi.stubEnv('SUPD_USER', 'admin');
  vi.stubEnv('SUPD_PASSWORD', '123');
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const file = fileURLToPath(new URL(`./.readme-example-${process.pid}.ts`, import.meta.url));
  writeFileSync(file, code);
  try {
    const done = import(/* @vite-ignore */ file).then(
      () => undefined,
      (error: Error) => error,
    );
    // Once subscribed, emit two state changes and then end the daemon's side.
    await vi.waitFor(() => expect(served.fake.subscribers).toBe(1));
    served.fake.emit({
      type: 'PROCESS_STATE_STOPPING',
      processName: 'web',
      groupName: 'web',
      fromState: 'RUNNING',
      pid: 4242,
    });
    served.fake.emit({ type: 'TICK_5', when: 5 });
    served.fake.emit({
      type: 'PROCESS_STATE_STOPPED',
      processName: 'web',
      groupName: 'web',
      fromState: 'STOPPING',
      pid: 4242,
    });
    await vi.waitFor(() => expect(log).toHaveBeenCalledTimes(6));
    await served.server.close();
    // The loop ends when supd goes away, and so does the example.
    expect(await done).toBeUndefined();
    expect(log.mock.calls.map((args) => args.join(' ').replace(/\s+/g, ' '))).toEqual([
      `supd at ${served.url} is RUNNING`,
      'web:web RUNNING pid 4242, uptime 0:00:26',
      'worker:worker RUNNING pid 4242, uptime 0:00:26',
      'start failed: BAD_NAME: no-such-program (fault 10)',
      'web:web RUNNING -> STOPPING',
      'web:web STOPPING -> STOPPED',
      'supd went away: the server is shutting down',
    ]);
  } finally {
    rmSync(file, { force: true });
    vi.unstubAllEnvs();
    log.mockRestore();
  }
});

// The same code saved as front-end.mjs and run by node, as the README says: plain JavaScript that
// Node 20 runs (no TypeScript, no `await using`), importing the package by its name.
const built = existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)));
test.runIf(built || process.env.CI === 'true')(
  'the README example runs as plain JavaScript under node',
  async () => {
    await using served = await serve();
    const file = fileURLToPath(new URL(`./.readme-example-${process.pid}.mjs`, import.meta.url));
    writeFileSync(file, readmeCode());
    try {
      const child = spawn(process.execPath, [file], {
        env: { ...process.env, SUPD_URL: served.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await waitFor(() => served.fake.subscribers === 1 || (child.exitCode !== null && 'exited'), {
        timeoutMs: 10_000,
        what: 'the example to subscribe',
      });
      expect(err).toBe('');
      served.fake.emit({
        type: 'PROCESS_STATE_STARTING',
        processName: 'web',
        groupName: 'web',
        fromState: 'STOPPED',
        tries: 0,
      });
      await waitFor(() => out.includes('STOPPED -> STARTING'), { what: 'the pushed event' });
      await served.server.close();
      expect(await exited).toBe(0);
      expect(out.split('\n').map((line) => line.replace(/\s+/g, ' '))).toEqual([
        `supd at ${served.url} is RUNNING`,
        'web:web RUNNING pid 4242, uptime 0:00:26',
        'worker:worker RUNNING pid 4242, uptime 0:00:26',
        'start failed: BAD_NAME: no-such-program (fault 10)',
        'web:web STOPPED -> STARTING',
        'supd went away: the server is shutting down',
        '',
      ]);
    } finally {
      rmSync(file, { force: true });
    }
  },
);
