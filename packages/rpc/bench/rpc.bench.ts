// Native-protocol figures for issue 5 (run: `cd /work/main && npx vitest bench --run --project @supctl/rpc`).
// One client, sequential calls over a unix socket, against a trivial API (no core involved).
import { join } from 'node:path';
import { makeTempDir } from '@supctl/test-utils';
import { bench, describe } from 'vitest';
import { connect, createRpcServer } from '../src/index.ts';
import { makeFakeApi, processInfo } from '../test/fake-api.ts';

function report(what: string, perSecond: number): void {
  process.stdout.write(`[figure] ${what}: ${Math.round(perSecond).toLocaleString('en-US')} calls/s\n`);
}

const infos = Array.from({ length: 100 }, (_, i) => processInfo(`p${String(i).padStart(4, '0')}`));
const opts = { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 };

describe('sequential calls over the unix socket', () => {
  for (const [method, count] of [
    ['supervisor.getState', 20_000],
    ['supervisor.getAllProcessInfo', 5_000],
  ] as const) {
    bench(
      `${method} ×${count}${method === 'supervisor.getAllProcessInfo' ? ' (100 processes)' : ''}`,
      async () => {
        await using dir = makeTempDir('rpcb-');
        await using server = createRpcServer({
          api: makeFakeApi({ 'supervisor.getAllProcessInfo': () => infos }).api,
        });
        const url = await server.listen({ path: join(dir.path, 's.sock') });
        await using client = await connect(url);
        for (let i = 0; i < 500; i++) await client.call(method);
        const start = performance.now();
        for (let i = 0; i < count; i++) await client.call(method);
        report(method, (count * 1000) / (performance.now() - start));
      },
      opts,
    );
  }
});
