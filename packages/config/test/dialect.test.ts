// The INI dialect as Supervisor reads it (spec §2.1, §0 traps 1, 2, 4).
import { describe, expect, test } from 'vitest';
import { analyze, config, program } from './helpers.ts';

describe('inline comments need whitespace before ; or #', () => {
  test.each([
    ["nginx -g 'daemon off;'", "nginx -g 'daemon off;'"],
    ["sh -c 'echo a ; echo b'", "sh -c 'echo a"],
    ['a ;b', 'a'],
    ['a #b', 'a'],
    ['a\t;b', 'a'],
    ['x;y', 'x;y'],
    ['foo#bar', 'foo#bar'],
    ['/home/#user#/run', '/home/#user#/run'],
    ['"daemon off; error_log /dev/stderr info;"', '"daemon off; error_log /dev/stderr info;"'],
    ['run ; ', 'run'],
  ])('command=%s', (value, expected) => {
    expect(program(`command=${value}`).command).toBe(expected);
  });

  test('a ; right after = is kept', () => {
    expect(config('[program:a]\ncommand=x\nenvironment=\n').groups.length).toBe(1);
    expect(program('command=;x').command).toBe(';x');
  });

  test('full-line comments may be indented and do not end a multi-line value', () => {
    expect(program('command=a\n  ; comment\n  b').command).toBe('a\nb');
  });
});

describe('delimiters, keys and whitespace', () => {
  test.each([
    ['command: sleep 1', 'sleep 1'],
    ['command = sleep 1   ', 'sleep 1'],
    ['command =sleep 1', 'sleep 1'],
    ['COMMAND=sleep 1', 'sleep 1'],
    ['command=a=b:c', 'a=b:c'],
    ['command:a=b', 'a=b'],
  ])('%s', (line, expected) => {
    expect(program(line).command).toBe(expected);
  });

  test('an empty command parses (supervisord fails it at spawn) with a warning at its line', () => {
    const r = analyze(
      '[program:x]\ncommand=\n[program:y]\ncommand=   \nnumprocs=3\nprocess_name=y%(process_num)s\n[program:z]\ncommand=true\n',
    );
    expect(r.issues).toEqual([]);
    expect(r.config!.groups.map((g) => g.processes[0]!.command)).toEqual(['', '', 'true']);
    // One warning per section, however many processes it has.
    expect(r.warnings.filter((w) => w.option === 'command')).toEqual([
      expect.objectContaining({
        section: 'program:x',
        line: 3,
        origin: 'supctl',
        message: expect.stringMatching(/^empty command: /),
      }),
      expect.objectContaining({ section: 'program:y', line: 5, origin: 'supctl' }),
    ]);
  });

  test('the last duplicate key wins', () => {
    expect(program('command=one\ncommand=two').command).toBe('two');
  });

  test('repeated sections merge, later keys win', () => {
    const c = config(
      '[program:a]\ncommand=one\npriority=5\n[program:b]\ncommand=b\n[program:a]\ncommand=two\n',
    );
    const a = c.groups.find((g) => g.name === 'a')!;
    expect(a.processes[0]!.command).toBe('two');
    expect(a.priority).toBe(5);
  });

  test('section names are case-sensitive and unknown ones are ignored with a warning', () => {
    const r = analyze('[Program:x]\ncommand=a\n[programs:y]\ncommand=b\n');
    expect(r.config!.groups).toEqual([]);
    expect(r.warnings.map((w) => w.message)).toMatchInlineSnapshot(`
      [
        "unknown section [Program:x] is ignored (did you mean [program:x]?)",
        "unknown section [programs:y] is ignored (did you mean [program:y]?)",
      ]
    `);
  });
});

describe('continuation lines', () => {
  test('indented lines continue the value; inner blank lines stay, trailing ones go', () => {
    expect(program('command=bash -c "\n    one\n\n    two"\n\n').command).toBe('bash -c "\none\n\ntwo"');
  });

  test('the first line may be empty', () => {
    expect(program('command=\n  sleep\n  1').command).toBe('\nsleep\n1');
  });

  test('an indented [section] or key=value line is a continuation', () => {
    const p = program('command=a\n [program:c]\n  priority=3');
    expect(p.command).toBe('a\n[program:c]\npriority=3');
    expect(p.priority).toBe(999);
  });

  test('CRLF and lone CR line endings, and no final newline', () => {
    const c = config('[program:a]\r\ncommand=x\r\n  y\r[program:b]\rcommand=z');
    expect(c.groups.map((g) => g.processes[0]!.command)).toEqual(['x\ny', 'z']);
  });
});

describe('headers', () => {
  test.each([
    ['[program:E]]', 'E]'],
    ['[program:F];c', 'F'],
  ])('%s', (header, name) => {
    expect(config(`${header}\ncommand=x\n`).groups[0]!.name).toBe(name);
  });

  test('[DEFAULT] keys reach every section', () => {
    const c = config('[DEFAULT]\nstartsecs=7\n[program:a]\ncommand=x\n[program:b]\ncommand=y\n');
    expect(c.groups.map((g) => g.processes[0]!.startSecs)).toEqual([7, 7]);
  });
});

describe('syntax errors', () => {
  test('a key without a delimiter: every bad line is listed, Python style', () => {
    const r = analyze('[program:a]\ncommand=x\nfoo\n\n\n\n\n\n\n\n\nbar baz\n');
    expect(r.issues[0]!.supervisorMessage).toMatchInlineSnapshot(`
      "Source contains parsing errors: '/etc/sd/supervisord.conf'
      	[line  4]: 'foo\\n'
      	[line 13]: 'bar baz\\n'"
    `);
    expect(r.issues.map((i) => `${i.line}: ${i.detail}`)).toMatchInlineSnapshot(`
      [
        "4: cannot read 'foo' (expected key = value, a [section] header, or an indented continuation line)",
        "13: cannot read 'bar baz' (expected key = value, a [section] header, or an indented continuation line)",
      ]
    `);
  });

  test('content before the first header', () => {
    const r = analyze('x=1\n[supervisord]\n', { withSupervisord: false });
    expect(r.issues[0]!.supervisorMessage).toBe(
      "File contains no section headers.\nfile: '/etc/sd/supervisord.conf', line: 1\n'x=1\\n'",
    );
  });

  test('= value with no key', () => {
    expect(analyze('[program:a]\ncommand=x\n= v\n').issues[0]!.line).toBe(4);
  });
});
