// What supd writes to its main log about a config it runs despite warnings. Files are named as
// on the command line, as in config errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@supctl/test-utils';
import { describe, expect, test } from 'vitest';
import { readLog, runE2e, startSupd, waitForLog } from './helpers.ts';

describe.runIf(runE2e)('supd config warnings', () => {
  test("supervisord's warnings keep its words; supd's own lint says file:line [section] option", async () => {
    await using dir = makeTempDir();
    writeFileSync(
      join(dir.path, 'supervisord.conf'),
      [
        '[supervisord]',
        'logfile=%(here)s/supd.log',
        'pidfile=%(here)s/supd.pid',
        'childlogdir=%(here)s',
        '[program:empty]',
        'command=',
        'startretries=0',
        '[program:auto]',
        'command=sleep 300',
        'stdout_logfile_maxbytes=0',
        'colour=blue',
        '',
      ].join('\n'),
    );
    await using supd = startSupd(['-n', '-c', 'supervisord.conf'], dir.path);
    const log = join(dir.path, 'supd.log');
    await waitForLog(log, /gave up: empty entered FATAL state/);
    const warnings = readLog(log)
      .split('\n')
      .filter((line) => line.includes(' WARN '))
      .map((line) => line.replace(/^\S+ \S+ WARN /, ''));
    expect(warnings).toEqual([
      `supervisord.conf:6 [program:empty] command: empty command: the program cannot start (spawnerr: command is empty), so it ends FATAL`,
      'For [program:auto], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally',
      `supervisord.conf:11 [program:auto] colour: unknown option colour is ignored`,
    ]);
    expect(readLog(log)).toMatch(/spawnerr: command is empty/);
    supd.child.kill('SIGTERM');
    expect(await supd.exited()).toBe(0);
  });
});
