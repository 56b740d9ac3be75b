// `supctl check`: the real bin, as a user runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { run } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'supctl-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function check(...args: string[]) {
  let out = '';
  let err = '';
  const code = run(['check', ...args], {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

describe('supctl check', () => {
  test('a valid config: the process table and a summary, exit 0', () => {
    const file = write(
      'ok.conf',
      '[supervisord]\n[program:web]\ncommand=node web.js\nnumprocs=2\nprocess_name=web_%(process_num)d\n',
    );
    const r = check(file);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `GROUP  PROCESS    PRIORITY  AUTOSTART  COMMAND\nweb    web:web_0  999:999   yes        node web.js\nweb    web:web_1  999:999   yes        node web.js\n${file}: OK, 1 group, 2 processes, 0 warnings\n`,
    );
  });

  test('every error with file:line [section] option, warnings too, exit 2', () => {
    const file = write(
      'bad.conf',
      '[supervisord]\n[program:web]\ncommand=x\nautorestart=true；\nautostart_=1\nstartsecs=soon\n',
    );
    const r = check(file);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      [
        `warning: ${file}:5 [program:web] autostart_: unknown option autostart_ is ignored (did you mean autostart?)`,
        `error: ${file}:4 [program:web] autorestart: invalid value 'true；' (expected true, false or unexpected)`,
        `error: ${file}:6 [program:web] startsecs: invalid value 'soon' (expected an integer)`,
        `${file}: 2 errors`,
        '',
      ].join('\n'),
    );
  });

  test('a fragment needs --fragment; host checks can be skipped', () => {
    const file = write('frag.conf', '[program:a]\ncommand=x\nuser=no-such-user-here\n');
    expect(check(file).err).toContain('has no [supervisord] section');
    expect(check('--fragment', file).err).toContain("no such user 'no-such-user-here'");
    expect(check('--fragment', '--no-host-checks', file).code).toBe(0);
  });

  test('a missing file and bad arguments', () => {
    expect(check(join(dir, 'nope.conf'))).toMatchObject({
      code: 2,
      err: `Error: could not find config file ${join(dir, 'nope.conf')}\n`,
    });
    expect(check('--bogus').code).toBe(2);
    expect(check('a', 'b').code).toBe(2);
  });

  test('the built bin sets the exit code', () => {
    const bin = resolve(import.meta.dirname, '../bin/supctl.js');
    const bad = write('bin-bad.conf', '[supervisord]\nx\n');
    const r = spawnSync(process.execPath, [bin, 'check', bad], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`error: ${bad}:2: cannot read 'x'`);
    expect(execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })).toContain(
      'Usage: supctl <command>',
    );
  });
});

test("the README's example prints what the README says", () => {
  const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');
  const [, conf, shown] = /cat > \/tmp\/check\.conf <<'EOF'\n([\s\S]*?)EOF\n.*\n((?:# .*\n)+)/.exec(readme)!;
  const path = write('check.conf', conf!);
  const { code, out, err } = check('--no-host-checks', path);
  const expected = shown!.replace(/^# /gm, '').replaceAll('/tmp/check.conf', path);
  expect(`${out}${err}exit ${code}\n`).toBe(expected);
});
