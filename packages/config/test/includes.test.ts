// [include]: globs relative to the including file, sorted, merged; %(here)s per file; nesting and cycles.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError, load } from '../src/index.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'supctl-inc-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const opts = { env: { HOME: '/root' }, hostNodeName: 'h' };

describe('[include]', () => {
  test('globs relative to the main file, read in sorted order, later files win', () => {
    const main = write('supervisord.conf', '[supervisord]\n[include]\nfiles = conf.d/*.conf extra/?.ini\n');
    write('conf.d/b.conf', '[program:x]\ncommand=from-b\n');
    write('conf.d/a.conf', '[program:x]\ncommand=from-a\npriority=5\n[program:y]\ncommand=%(here)s/run\n');
    write('conf.d/.hidden.conf', '[program:hidden]\ncommand=h\n');
    write('extra/1.ini', '[program:z]\ncommand=z\n');
    const config = load(main, opts);
    expect(config.groups.map((g) => [g.name, g.priority, g.processes[0]!.command])).toEqual([
      ['x', 5, 'from-b'],
      ['y', 999, `${dir}/conf.d/run`],
      ['z', 999, 'z'],
    ]);
    expect(config.includes).toEqual([
      { pattern: `${dir}/conf.d/*.conf`, matched: [`${dir}/conf.d/a.conf`, `${dir}/conf.d/b.conf`] },
      { pattern: `${dir}/extra/?.ini`, matched: [`${dir}/extra/1.ini`] },
    ]);
    expect(config.infos).toEqual([
      `Included extra file "${dir}/conf.d/a.conf" during parsing`,
      `Included extra file "${dir}/conf.d/b.conf" during parsing`,
      `Included extra file "${dir}/extra/1.ini" during parsing`,
    ]);
  });

  test('a pattern that matches nothing is a warning, not an error', () => {
    const main = write('s.conf', '[supervisord]\n[include]\nfiles=nothing/*.conf\n');
    const config = load(main, opts);
    expect(config.warnings).toMatchObject([
      { origin: 'supervisor', line: 3, message: `No file matches via include "${dir}/nothing/*.conf"` },
    ]);
  });

  test('errors inside an included file name that file and line', () => {
    const main = write('s.conf', '[supervisord]\n[include]\nfiles=conf.d/*.conf\n');
    write('conf.d/bad.conf', '[program:a]\ncommand=x\nautostart=maybe\n');
    const error = (() => {
      try {
        load(main, opts);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toBe(
      `${dir}/conf.d/bad.conf:3 [program:a] autostart: invalid value 'maybe' (expected true or false)`,
    );
    expect(error!.supervisorMessage).toBe(
      `not a valid boolean value: 'maybe' in section 'program:a' (file: '${dir}/conf.d/bad.conf')`,
    );
  });

  test('a syntax error in an included file', () => {
    const main = write('s.conf', '[supervisord]\n[include]\nfiles=x.conf\n');
    write('x.conf', '[program:a]\ncommand=x\noops\n');
    expect(() => load(main, opts)).toThrow(`${dir}/x.conf:3: cannot read 'oops'`);
  });

  test('nested includes are read relative to the including file, and cycles are reported', () => {
    const main = write('s.conf', '[supervisord]\n[include]\nfiles=a/one.conf\n');
    write('a/one.conf', '[program:one]\ncommand=1\n[include]\nfiles=b/*.conf\n');
    write('a/b/two.conf', '[program:two]\ncommand=2\n[include]\nfiles=../one.conf\n');
    const config = load(main, opts);
    expect(config.groups.map((g) => g.name)).toEqual(['one', 'two']);
    const messages = config.warnings.map((w) => w.message);
    expect(messages.some((m) => m.startsWith('[include] in an included file'))).toBe(true);
    expect(messages.some((m) => m.startsWith('include cycle:') && m.includes('one.conf'))).toBe(true);
  });

  test('[include] without files', () => {
    const main = write('s.conf', '[supervisord]\n[include]\n');
    expect(() => load(main, opts)).toThrow(ConfigError);
  });

  test('a missing config file', () => {
    expect(() => load(join(dir, 'nope.conf'))).toThrow(
      expect.objectContaining({
        supervisorMessage: `could not find config file ${dir}/nope.conf`,
      }),
    );
  });

  test('host checks: a log directory that does not exist, and a user that does not', () => {
    const main = write(
      's.conf',
      '[supervisord]\n[program:a]\ncommand=x\nstdout_logfile=/nonexist/dir/x.log\n[program:b]\ncommand=y\nuser=nosuchuser-supctl\n',
    );
    let error: ConfigError | undefined;
    try {
      load(main, opts);
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error!.issues.map((i) => i.supervisorMessage)).toEqual([
      `The directory named as part of the path /nonexist/dir/x.log does not exist in section 'program:a' (file: '${main}')`,
      `Invalid user name nosuchuser-supctl in section 'program:b' (file: '${main}')`,
    ]);
  });
});
