// Properties: no input makes the parser fail with anything but ConfigError; the writer's output
// reads back to what was written; and on the part of the dialect where the `ini` package is
// faithful, our reader agrees with it.
import fc from 'fast-check';
import * as ini from 'ini';
import { describe, expect, test } from 'vitest';
import { analyzeConfig, ConfigError, formatProgramSection, parse } from '../src/index.ts';
import { createRawIni, readIniText } from '../src/ini-reader.ts';

const OPTIONS = {
  path: '/x/supervisord.conf',
  env: { HOME: '/root', N: '2' },
  hostNodeName: 'h',
  host: false,
} as const;

const VALID = `[supervisord]
logfile=/tmp/sd.log
environment=A="1,2",B=x
[unix_http_server]
file=/tmp/s.sock
[inet_http_server]
port=127.0.0.1:9001
username=u
password={SHA}abc
[program:web]
command=nginx -g 'daemon off;' ; comment
process_name=%(program_name)s_%(process_num)02d
numprocs=%(ENV_N)s
autorestart=unexpected
stopsignal=QUIT
exitcodes=0,2
stdout_logfile=AUTO
environment=PORT="80%(process_num)d"
[group:g]
programs=web
[eventlistener:l]
command=python listener.py
events=PROCESS_STATE,TICK_5
[fcgi-program:f]
command=php-cgi
socket=tcp://127.0.0.1:9000
`;

function mustOnlyThrowConfigError(text: string) {
  try {
    parse(text, OPTIONS);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.issues.length).toBeGreaterThan(0);
  }
}

describe('nothing but ConfigError', () => {
  test('the valid base config parses', () => {
    expect(parse(VALID, OPTIONS).groups.map((g) => g.name)).toEqual(['l', 'f', 'g']);
  });

  test('random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), mustOnlyThrowConfigError), {
      numRuns: 500,
    });
  });

  test('random lines from the dialect’s alphabet', () => {
    const piece = fc.constantFrom(
      '[',
      ']',
      'program:',
      'group:',
      'eventlistener:',
      'supervisord',
      '=',
      ':',
      ';',
      '#',
      ' ',
      '\t',
      '\n',
      '\r\n',
      '%',
      '%(',
      ')s',
      'process_num',
      'ENV_N',
      'command',
      'numprocs',
      'priority',
      'environment',
      'A="x,y"',
      '"',
      "'",
      '0',
      '1',
      'true',
      'x',
      '[DEFAULT]',
      '[include]',
      'files',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) =>
        mustOnlyThrowConfigError(`[supervisord]\n${parts.join('')}`),
      ),
      { numRuns: 1000 },
    );
  });

  test('mutations of a valid config', () => {
    const lines = VALID.split('\n');
    const mutation = fc.record({
      line: fc.nat({ max: lines.length - 1 }),
      at: fc.nat({ max: 40 }),
      cut: fc.nat({ max: 5 }),
      insert: fc.string({ maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const copy = [...lines];
        for (const m of mutations) {
          const l = copy[m.line] ?? '';
          copy[m.line] = l.slice(0, m.at) + m.insert + l.slice(m.at + m.cut);
        }
        mustOnlyThrowConfigError(copy.join('\n'));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatProgramSection', () => {
  test('reads back to the same values', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9_./:+()-]{1,12}$/);
    const safeText = fc
      .stringMatching(/^[^\n\r%;#]{1,30}$/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0 && s === s.trim() && !/\s/.test(s.at(-1)!));
    fc.assert(
      fc.property(
        fc.record({
          command: safeText,
          priority: fc.integer({ min: -100, max: 1000 }),
          autostart: fc.boolean(),
          exitcodes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }),
          environment: fc.dictionary(word, fc.stringMatching(/^[^"'\n\r%;#]{0,10}$/), { maxKeys: 3 }),
        }),
        (options) => {
          const env = Object.fromEntries(Object.entries(options.environment).map(([k, v]) => [k, v.trim()]));
          const text = `[supervisord]\n${formatProgramSection('p', { ...options, environment: env })}`;
          const result = analyzeConfig(text, OPTIONS);
          expect(result.issues).toEqual([]);
          const p = result.config!.groups[0]!.processes[0]!;
          expect([p.command, p.priority, p.autostart, p.exitCodes, p.environment]).toEqual([
            options.command,
            options.priority,
            options.autostart,
            options.exitcodes,
            env,
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('multi-line commands become continuation lines', () => {
    const text = formatProgramSection('w', {
      command: 'bash -c "\nsleep 1\n\necho done"',
      numprocs: 2,
      process_name: '%(program_name)s_%(process_num)d',
    });
    expect(text).toMatchInlineSnapshot(`
      "[program:w]
      command = bash -c "
          sleep 1

          echo done"
      numprocs = 2
      process_name = %(program_name)s_%(process_num)d
      "
    `);
    expect(parse(`[supervisord]\n${text}`, OPTIONS).groups[0]!.processes.map((p) => p.command)).toEqual([
      'bash -c "\nsleep 1\n\necho done"',
      'bash -c "\nsleep 1\n\necho done"',
    ]);
  });

  test.each([
    [
      { command: 'a ;b' },
      'cannot write [program:p] command: "a ;b" has whitespace before ;, which starts a comment',
    ],
    [{ command: ' x' }, 'leading or trailing whitespace'],
    [{ environment: { A: `'"` } }, `value of A has both ' and "`],
    [{ priority: 1.5 }, '1.5 is not an integer'],
  ])('refuses what would not read back: %j', (options, message) => {
    expect(() => formatProgramSection('p', options)).toThrow(message);
  });
});

describe('agreement with the ini package on its faithful subset', () => {
  // Plain `key=value` lines: no comments, quotes, continuation, `:` or escapes.
  const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
  const value = fc.stringMatching(/^[A-Za-z0-9_./@+-][A-Za-z0-9_./@+ -]{0,20}[A-Za-z0-9_./@+-]$/);
  test('same sections, keys and values', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.stringMatching(/^[a-z]{1,6}$/),
          fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }),
          {
            minKeys: 1,
            maxKeys: 4,
          },
        ),
        (sections) => {
          const text = Object.entries(sections)
            .map(
              ([name, kv]) =>
                `[${name}]\n${Object.entries(kv)
                  .map(([k, v]) => `${k}=${v}`)
                  .join('\n')}\n`,
            )
            .join('');
          const ours = createRawIni();
          expect(readIniText(text, 'x', ours)).toEqual([]);
          const oursPlain = Object.fromEntries(
            [...ours.sections.values()].map((s) => [
              s.name,
              Object.fromEntries([...s.options].map(([k, o]) => [k, o.value])),
            ]),
          );
          expect(oursPlain).toEqual(ini.parse(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});
