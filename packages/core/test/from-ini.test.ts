import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@supctl/config';
import { fixtureCommand, makeTempDir, processesInGroups, waitFor } from '@supctl/test-utils';
import { expect, test } from 'vitest';
import { Supervisor } from '../src/index.ts';

test('a config parsed from INI runs: numprocs, [group:x], environment', async () => {
  await using dir = makeTempDir();
  const text = `
[supervisord]
childlogdir = ${dir.path}
environment = SHARED="global",GLOBAL_ONLY=1

[program:worker]
command = ${fixtureCommand('print-env', 'SHARED', 'GLOBAL_ONLY', 'SUPERVISOR_PROCESS_NAME', 'SUPERVISOR_GROUP_NAME')}
process_name = %(program_name)s_%(process_num)02d
numprocs = 2
startsecs = 0
autorestart = false
environment = SHARED="prog"

[program:web]
command = ${fixtureCommand('sleep-forever')}
startsecs = 0

[group:site]
programs = web
priority = 10
`;
  const config = parse(text, { path: join(dir.path, 'supervisord.conf'), env: {} });
  const lines: string[] = [];
  await using supervisor = new Supervisor(config, {
    logger: { log: (level, m) => lines.push(`${level} ${m}`) },
  });
  await supervisor.start();
  expect(supervisor.groups.map((g) => [g.name, g.processes.map((p) => p.name)])).toEqual([
    ['site', ['web']],
    ['worker', ['worker_00', 'worker_01']],
  ]);
  const worker = supervisor.getProcess('worker:worker_01');
  await worker.waitForState((s) => s === 'EXITED');
  await waitFor(() => readFileSync(worker.stdout.path!, 'utf8').includes('UMASK'));
  expect(readFileSync(worker.stdout.path!, 'utf8')).toMatch(
    /^SHARED=prog\nGLOBAL_ONLY=1\nSUPERVISOR_PROCESS_NAME=worker_01\nSUPERVISOR_GROUP_NAME=worker\n/,
  );
  const web = supervisor.getProcess('site:web');
  await web.waitForState((s) => s === 'RUNNING');
  const pid = web.pid;
  await supervisor.close();
  expect(web.state).toBe('STOPPED');
  expect(processesInGroups([pid])).toEqual([]);
});
