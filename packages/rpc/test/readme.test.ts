import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, vi } from 'vitest';
import { serve } from './helpers.ts';

// The README's front end, run as written against a server with a fake API.
test('the README example runs as written', async () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  const lines = code!.split('\n').length;
  expect(lines).toBeLessThanOrEqual(25);

  await using served = await serve({
    auth: { username: 'admin', password: '{SHA}40bd001563085fc35165329ea1ff5c5ecbdbbeef' },
  });
  vi.stubEnv('SUPD_URL', served.url);
  vi.stubEnv('SUPD_USER', 'admin');
  vi.stubEnv('SUPD_PASSWORD', '123');
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const file = fileURLToPath(new URL(`./.readme-example-${process.pid}.ts`, import.meta.url));
  writeFileSync(file, code!);
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
    // The loop ends when supd goes away: the example's for-await throws SERVER_CLOSING.
    expect(await done).toMatchObject({ name: 'RpcProtocolError', code: 'SERVER_CLOSING' });
    expect(log.mock.calls.map((args) => args.join(' ').replace(/\s+/g, ' '))).toEqual([
      `supd at ${served.url} is RUNNING`,
      'web:web RUNNING pid 4242, uptime 0:00:26',
      'worker:worker RUNNING pid 4242, uptime 0:00:26',
      'start failed: BAD_NAME: no-such-program (fault 10)',
      'web:web RUNNING -> STOPPING',
      'web:web STOPPING -> STOPPED',
    ]);
  } finally {
    rmSync(file, { force: true });
    vi.unstubAllEnvs();
    log.mockRestore();
  }
});
