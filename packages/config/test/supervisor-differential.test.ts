// Differential test against the real thing: random program sections, parsed by Debian's
// supervisord (through its own ServerOptions) and by us, must give the same processes or the
// same first error. Skips where Supervisor's Python package is not installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { analyzeConfig, type LogTarget } from '../src/index.ts';

const PYTHON = '/usr/bin/python3';
const ORACLE = resolve(import.meta.dirname, 'fixtures/supervisor-parse.py');
const available = spawnSync(PYTHON, ['-c', 'import supervisor.options'], { stdio: 'ignore' }).status === 0;

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const VALUES: Record<string, fc.Arbitrary<string>> = {
  command: pick(
    'sleep 1',
    "nginx -g 'daemon off;'",
    "sh -c 'a ; b'",
    'echo %(program_name)s %(process_num)02d',
    'run #x',
    'run%%',
    'x %(ENV_HOME)s',
    'x %(ENV_NOPE)s',
    'x %(here)s',
    '50%',
    'bad %(x',
    '%s',
    'a\n  b',
  ),
  priority: pick('1', '-5', ' 7 ', '1_0', 'x', '٣', '+3', '99999999'),
  autostart: pick('true', 'FALSE', 'yes', 'On', '0', 'maybe', ''),
  autorestart: pick('true', 'false', 'unexpected', 'UNEXPECTED', 'sometimes', 'yes'),
  startsecs: pick('0', '5', 'abc', '-1', ' 2'),
  startretries: pick('0', '3', '1.5'),
  exitcodes: pick('0', '0,2', '0, 2 ,3', '', '0,256', '-1', '1,', 'a'),
  stopsignal: pick('TERM', 'int', 'SIGHUP', '9', 'FOO', '0', '99', 'rtmin', 'iot', 'cld', '_ign'),
  stopwaitsecs: pick('10', '0', 'x'),
  stopasgroup: pick('true', 'false'),
  killasgroup: pick('true', 'false'),
  numprocs: pick('1', '2', '0', '3'),
  numprocs_start: pick('0', '5', '-2'),
  process_name: pick(
    '%(program_name)s',
    '%(program_name)s_%(process_num)d',
    'p%(process_num)02d',
    'a b',
    '%(process_num)s',
  ),
  umask: pick('022', '0o27', '089', '7'),
  environment: pick(
    'A=1',
    'A="x,y",B=2',
    'A=hello world',
    'A=',
    'A=1,,B=2',
    "A='q'",
    'A=%(program_name)s',
    'A=$X',
    'K=v,',
  ),
  stdout_logfile: pick('AUTO', 'NONE', 'off', '/tmp/%(program_name)s.log', 'syslog', '/tmp/x%%.log'),
  stdout_logfile_maxbytes: pick('0', '1KB', '50MB', '1 mb', '10XB', '1.5MB'),
  redirect_stderr: pick('true', 'false'),
  stderr_logfile: pick('/tmp/err.log', 'AUTO'),
  directory: pick('/tmp', '%(here)s'),
};

const program = fc
  .record({
    name: pick('a', 'web', 'w1'),
    keys: fc.subarray(Object.keys(VALUES), { minLength: 1 }),
  })
  .chain(({ name, keys }) =>
    fc.tuple(fc.constant(name), ...keys.map((k) => VALUES[k]!.map((v) => [k, v] as const))),
  )
  .map(([name, ...pairs]) => `[program:${name}]\n${pairs.map(([k, v]) => `${k}=${v}`).join('\n')}\n`);

const logName = (t: LogTarget) => (t.kind === 'auto' ? 'AUTO' : t.kind === 'none' ? 'NONE' : t.path);

describe.skipIf(!available)('against Debian supervisord’s own parser', () => {
  test('random program sections: same processes or the same first error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'supctl-diff-'));
    try {
      const samples = fc.sample(fc.array(program, { minLength: 1, maxLength: 2 }), {
        numRuns: 400,
        seed: 42,
      });
      const files = samples.map((sections, i) => {
        const file = join(dir, `c${i}.conf`);
        writeFileSync(
          file,
          `[supervisord]\nlogfile=${dir}/sd.log\npidfile=${dir}/sd.pid\n${sections.join('')}`,
        );
        return file;
      });
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/root', LANG: 'C.UTF-8' };
      const lines = execFileSync(PYTHON, [ORACLE, ...files], { env, encoding: 'utf8', maxBuffer: 64 << 20 })
        .trim()
        .split('\n');
      const mismatches: string[] = [];
      files.forEach((file, i) => {
        const theirs = JSON.parse(lines[i]!);
        const text = `[supervisord]\nlogfile=${dir}/sd.log\npidfile=${dir}/sd.pid\n${samples[i]!.join('')}`;
        const r = analyzeConfig(text, { path: file, env, hostNodeName: hostname() });
        if (!theirs.ok) {
          if (r.issues[0]?.supervisorMessage !== theirs.error) {
            mismatches.push(
              `${text}\n  supervisord: ${theirs.error}\n  supctl: ${r.issues[0]?.supervisorMessage ?? 'OK'}`,
            );
          }
          return;
        }
        if (!r.config) {
          mismatches.push(`${text}\n  supervisord: OK\n  supctl: ${r.issues[0]?.supervisorMessage}`);
          return;
        }
        const ours = r.config.groups.map((g) => ({
          name: g.name,
          priority: g.priority,
          processes: g.processes.map((p) => ({
            name: p.name,
            command: p.command,
            priority: p.priority,
            autostart: p.autostart,
            autorestart: p.autorestart,
            startsecs: p.startSecs,
            startretries: p.startRetries,
            exitcodes: p.exitCodes,
            stopsignal: p.stopSignal,
            stopwaitsecs: p.stopWaitSecs,
            stopasgroup: p.stopAsGroup,
            killasgroup: p.killAsGroup,
            environment: p.environment,
            directory: p.directory,
            umask: p.umask,
            stdout_logfile: logName(p.stdout.logfile),
            stderr_logfile: logName(p.stderr.logfile),
            stdout_logfile_maxbytes: p.stdout.logfileMaxBytes,
            redirect_stderr: p.redirectStderr,
          })),
        }));
        const ourWarnings = r.config.warnings.filter((w) => w.origin === 'supervisor').map((w) => w.message);
        const same =
          JSON.stringify(ours) === JSON.stringify(theirs.groups) &&
          JSON.stringify(ourWarnings) === JSON.stringify(theirs.warnings);
        if (!same) {
          mismatches.push(
            `${text}\n  supervisord: ${JSON.stringify(theirs.groups)} ${JSON.stringify(theirs.warnings)}\n  supctl:      ${JSON.stringify(ours)} ${JSON.stringify(ourWarnings)}`,
          );
        }
      });
      if (process.env.SUPCTL_DIFF_DUMP) writeFileSync(process.env.SUPCTL_DIFF_DUMP, mismatches.join('\n\n'));
      expect(mismatches.slice(0, 5).join('\n\n')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

if (!available)
  test.skip('supervisord differential skipped: Debian’s supervisor package is not installed', () => {
    console.warn('differential tests skipped: /usr/bin/python3 cannot import supervisor');
  });
