// Value types (spec §2.6), environment= (§2.7), % expansion (§2.5) and their error texts.
import { describe, expect, test } from 'vitest';
import { analyzeConfig, convertPath, parse, parseEnvironment } from '../src/index.ts';
import { analyze, config, program, supervisorError } from './helpers.ts';

describe('value types', () => {
  test.each([
    ['autostart=TRUE', 'autostart', true],
    ['autostart=off', 'autostart', false],
    ['autostart=1', 'autostart', true],
    ['startsecs= +7 ', 'startSecs', 7],
    ['startsecs=1_000', 'startSecs', 1000],
    ['startsecs=٣', 'startSecs', 3],
    ['stdout_logfile_maxbytes=1 mb', 'stdout', expect.objectContaining({ logfileMaxBytes: 1048576 })],
    ['stdout_logfile_maxbytes=50MB', 'stdout', expect.objectContaining({ logfileMaxBytes: 52428800 })],
    ['stdout_logfile_maxbytes=2gb', 'stdout', expect.objectContaining({ logfileMaxBytes: 2 * 1024 ** 3 })],
    ['stdout_logfile_maxbytes=0', 'stdout', expect.objectContaining({ logfileMaxBytes: 0 })],
    ['umask=022', 'umask', 0o22],
    ['umask=0o27', 'umask', 0o27],
    ['umask=7', 'umask', 7],
    ['stopsignal=term', 'stopSignal', 'TERM'],
    ['stopsignal=SIGINT', 'stopSignal', 'INT'],
    ['stopsignal=9', 'stopSignal', 'KILL'],
    ['stopsignal=iot', 'stopSignal', 'ABRT'],
    ['exitcodes=0, 2 ,3', 'exitCodes', [0, 2, 3]],
    ['exitcodes=', 'exitCodes', []],
    ['autorestart=Unexpected', 'autorestart', 'unexpected'],
    ['autorestart=yes', 'autorestart', true],
    ['autorestart=false', 'autorestart', false],
    ['stopasgroup=true', 'killAsGroup', true],
    ['stdout_logfile=NONE', 'stdout', expect.objectContaining({ logfile: { kind: 'none' } })],
    ['stdout_logfile=off', 'stdout', expect.objectContaining({ logfile: { kind: 'none' } })],
    ['stdout_logfile=Auto', 'stdout', expect.objectContaining({ logfile: { kind: 'auto' } })],
    [
      'stdout_logfile=~/x.log',
      'stdout',
      expect.objectContaining({ logfile: { kind: 'file', path: '/home/u/x.log' } }),
    ],
    ['serverurl=AUTO', 'serverUrl', null],
    ['serverurl=unix:///tmp/x.sock', 'serverUrl', 'unix:///tmp/x.sock'],
  ])('%s', (line, key, expected) => {
    expect(program(`command=x\n${line}`)[key as 'priority']).toEqual(expected);
  });

  test('stdout_logfile=syslog is deprecated: no file, syslog on, and Supervisor’s warning', () => {
    const r = analyze('[program:a]\ncommand=x\nstdout_logfile=syslog\n');
    expect(r.config!.groups[0]!.processes[0]!.stdout).toMatchObject({
      logfile: { kind: 'none' },
      syslog: true,
    });
    expect(r.warnings[0]!.message).toBe(
      'For [program:a], stdout_logfile=syslog but this is deprecated and will be removed.  Use stdout_syslog=true to enable syslog instead.',
    );
  });

  test('redirect_stderr drops stderr_logfile with a warning', () => {
    const r = analyze('[program:a]\ncommand=x\nredirect_stderr=true\nstderr_logfile=/tmp/e.log\n');
    expect(r.config!.groups[0]!.processes[0]!.stderr.logfile).toEqual({ kind: 'none' });
    expect(r.warnings.map((w) => w.message)).toEqual([
      'For [program:a], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored',
    ]);
  });

  test('AUTO logging without rollover warns', () => {
    expect(analyze('[program:a]\ncommand=x\nstdout_logfile_maxbytes=0\n').warnings[0]!.message).toBe(
      'For [program:a], AUTO logging used for stdout_logfile without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally',
    );
  });

  test('every default, as Supervisor has it', () => {
    const p = program('command=/bin/cat');
    expect(p).toMatchObject({
      name: 'a',
      directory: null,
      umask: null,
      priority: 999,
      autostart: true,
      autorestart: 'unexpected',
      startSecs: 1,
      startRetries: 3,
      exitCodes: [0],
      stopSignal: 'TERM',
      stopWaitSecs: 10,
      stopAsGroup: false,
      killAsGroup: false,
      user: null,
      redirectStderr: false,
      environment: {},
      serverUrl: null,
      processNum: 0,
      numprocs: 1,
    });
    const channel = {
      logfile: { kind: 'auto' },
      logfileMaxBytes: 52428800,
      logfileBackups: 10,
      captureMaxBytes: 0,
      eventsEnabled: false,
      syslog: false,
    };
    expect(p.stdout).toEqual(channel);
    expect(p.stderr).toEqual(channel);
    expect(config('').supervisord).toEqual({
      logfile: 'supervisord.log',
      logfileMaxBytes: 52428800,
      logfileBackups: 10,
      loglevel: 'info',
      pidfile: 'supervisord.pid',
      umask: 0o22,
      nodaemon: false,
      silent: false,
      minfds: 1024,
      minprocs: 200,
      nocleanup: false,
      childlogdir: '/tmp',
      user: null,
      directory: null,
      stripAnsi: false,
      environment: {},
      identifier: 'supervisor',
    });
  });
});

describe('errors: supervisord’s words, and supctl’s with file:line', () => {
  const suffix = " in section 'program:a' (file: '/etc/sd/supervisord.conf')";
  test.each([
    ['autorestart=true；', `invalid 'autorestart' value 'true；'${suffix}`],
    ['autorestart=MAYBE', `invalid 'autorestart' value 'maybe'${suffix}`],
    ['autostart=yes；', `not a valid boolean value: 'yes；'${suffix}`],
    ['startsecs=abc', `invalid literal for int() with base 10: 'abc'${suffix}`],
    ['stdout_logfile_maxbytes=10XB', `invalid literal for int() with base 10: '10xb'${suffix}`],
    ['stdout_logfile_maxbytes=1.5MB', `invalid literal for int() with base 10: '1.5'${suffix}`],
    ['umask=089', `089 can not be converted to an octal type${suffix}`],
    ['stopsignal=FOO', `value 'FOO' is not a valid signal name${suffix}`],
    ['stopsignal=99', `value '99' is not a valid signal number${suffix}`],
    ['exitcodes=0,256', `not a valid list of exit codes: '0,256'${suffix}`],
    ['numprocs=2', `%(process_num) must be present within process_name when numprocs > 1${suffix}`],
    ['stopasgroup=true\nkillasgroup=false', `Cannot set stopasgroup=true and killasgroup=false${suffix}`],
    ['environment=A=', `Unexpected end of key/value pairs in value 'A='${suffix}`],
    [
      'command=/bin/sleep %(ENV_NOPE)s',
      expect.stringMatching(
        /^Format string '\/bin\/sleep %\(ENV_NOPE\)s' for 'program:a.command' contains names \('ENV_NOPE'\) which cannot be expanded. Available names: ENV_FLAG, ENV_HOME, ENV_NUM, ENV_PATH, ENV_USER, group_name, here, host_node_name, numprocs, process_num, program_name in section/,
      ),
    ],
    [
      'command=/bin/sleep %(foo',
      `Format string '/bin/sleep %(foo' for 'program:a.command' is badly formatted: incomplete format key${suffix}`,
    ],
    [
      'command=50%',
      `Format string '50%' for 'program:a.command' is badly formatted: incomplete format${suffix}`,
    ],
    [
      'user=%USER%',
      `Format string '%USER%' for 'program:a.user' is badly formatted: unsupported format character 'U' (0x55) at index 1${suffix}`,
    ],
    [
      'command=%(ENV_HOME)d',
      `Format string '%(ENV_HOME)d' for 'program:a.command' is badly formatted: %d format: a real number is required, not str${suffix}`,
    ],
  ])('%s', (line, message) => {
    const body = line.startsWith('command=') ? `[program:a]\n${line}\n` : `[program:a]\ncommand=x\n${line}\n`;
    expect(supervisorError(body)).toEqual(message);
  });

  test.each([
    ['[program:a b]\ncommand=x', "Invalid name: 'a b' because of character: ' '"],
    ['[program:a:b]\ncommand=x', "Invalid name: 'a:b' because of character: ':'"],
    [
      '[program:a]\npriority=5',
      "program section program:a does not specify a command in section 'program:a' (file: '/etc/sd/supervisord.conf')",
    ],
    ['[program:a]\ncommand=x\npriority=abc', "invalid literal for int() with base 10: 'abc'"],
    ['[group:g]\nprograms=zz', '[group:g] names unknown program or fcgi-program zz'],
    [
      '[program:a]\ncommand=x\n[group:g]\nprograms=a,zz',
      '[program:a] names unknown program or fcgi-program zz',
    ],
    ['[eventlistener:e]\ncommand=x', '[eventlistener:e] section requires an "events" line'],
    ['[eventlistener:e]\ncommand=x\nevents=FOO', 'Unknown event type FOO in [eventlistener:e] events'],
    [
      '[eventlistener:e]\ncommand=x\nevents=TICK_5\nbuffer_size=0',
      '[eventlistener:e] section sets invalid buffer_size (0)',
    ],
    [
      '[eventlistener:e]\ncommand=x\nevents=TICK_5\nredirect_stderr=true',
      '[eventlistener:e] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol',
    ],
    ['[fcgi-program:f]\ncommand=x', '[fcgi-program:f] section requires a "socket" line'],
    ['[inet_http_server]\nport=127.0.0.1:99999', '99999 is above upper bound (65535)'],
    ['[inet_http_server]\nport=', 'section [inet_http_server] has no port value'],
    ['[unix_http_server]\nchmod=777', 'section [unix_http_server] has no file value'],
    [
      '[unix_http_server:x]\nfile=/tmp/s\nusername=u',
      'Section [unix_http_server:x] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified',
    ],
    ['[include]\nx=1', '.ini file has [include] section, but no files setting'],
    [
      '[rpcinterface:x]\nfoo=1',
      'section [rpcinterface:x] does not specify a supervisor.rpcinterface_factory',
    ],
  ])('%s', (body, message) => {
    expect(supervisorError(`${body}\n`)).toBe(message);
  });

  test('no [supervisord] section, and loglevel=warning', () => {
    expect(analyze('[program:a]\ncommand=x\n', { withSupervisord: false }).issues[0]!.supervisorMessage).toBe(
      '.ini file does not include supervisord section',
    );
    expect(analyze('loglevel=warning\n').issues[0]!.supervisorMessage).toBe(
      "bad logging level name 'warning'",
    );
  });

  test('supctl’s message names file, line, section and option', () => {
    const r = analyze('[program:web]\ncommand=x\n\nautorestart=true；\n');
    expect(r.issues[0]).toMatchObject({
      file: '/etc/sd/supervisord.conf',
      line: 5,
      section: 'program:web',
      option: 'autorestart',
    });
    expect(() =>
      parse('[supervisord]\n[program:web]\ncommand=x\n\nautorestart=true；\n', {
        path: 'supervisord.conf',
        host: false,
      }),
    ).toThrow(
      "supervisord.conf:5 [program:web] autorestart: invalid value 'true；' (expected true, false or unexpected)",
    );
  });

  test('every problem is reported, not just the first', () => {
    const r = analyze('[program:a]\ncommand=x\nstartsecs=x\nautostart=maybe\n[program:b]\nstopsignal=NOPE\n');
    expect(r.issues.map((i) => `${i.line} ${i.section} ${i.option ?? ''}`)).toEqual([
      '5 program:a autostart',
      '4 program:a startsecs',
      '7 program:b stopsignal',
    ]);
  });
});

describe('environment=', () => {
  test.each([
    ['A="x,y",B=\'q r\',C=plain', { A: 'x,y', B: 'q r', C: 'plain' }],
    ['F="a=b"', { F: 'a=b' }],
    ['A=a-b.c/d:e+f(g)', { A: 'a-b.c/d:e+f(g)' }],
    ['A=hello world', { A: 'hello' }],
    ['A=$HOME', { A: '$' }],
    ['A=1,B=2,', { A: '1', B: '2' }],
    ['A=""', { A: '' }],
    ['A=café', { A: 'caf' }],
    ['\n  A="1",\n  B="2"', { A: '1', B: '2' }],
  ])('%s', (text, expected) => {
    expect(parseEnvironment(text)).toEqual(expected);
  });

  test.each(['A=', 'A=1 B=2', 'A=1,,B=2', 'A=x;y', 'C=x\\,y', 'F=a=b'])('%s is an error', (text) => {
    expect(() => parseEnvironment(text)).toThrow(/cannot read KEY=value pairs/);
  });

  test('program environment overrides [supervisord] environment, and both feed ENV_*', () => {
    const c = config(
      '[supervisord]\nenvironment=SHARED="global",G=1\n[program:a]\ncommand=echo %(ENV_G)s %(ENV_OWN)s\nenvironment=SHARED="fromprog",OWN=2\n',
      { withSupervisord: false },
    );
    const p = c.groups[0]!.processes[0]!;
    expect(p.environment).toEqual({ SHARED: 'fromprog', G: '1', OWN: '2' });
    expect(p.command).toBe('echo 1 2');
  });
});

describe('% expansion and numprocs', () => {
  test('per-process names, numprocs_start and zero padding', () => {
    const c = config(
      '[program:w]\ncommand=run %(process_num)d of %(numprocs)d on %(host_node_name)s in %(here)s\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=3\nnumprocs_start=9\nstdout_logfile=/tmp/%(process_num)s.log\n',
    );
    expect(c.groups[0]!.processes.map((p) => [p.name, p.command, p.stdout.logfile])).toEqual([
      ['w_09', 'run 9 of 3 on node1 in /etc/sd', { kind: 'file', path: '/tmp/9.log' }],
      ['w_10', 'run 10 of 3 on node1 in /etc/sd', { kind: 'file', path: '/tmp/10.log' }],
      ['w_11', 'run 11 of 3 on node1 in /etc/sd', { kind: 'file', path: '/tmp/11.log' }],
    ]);
  });

  test('%(ENV_x)s in numeric and boolean options, %% for a literal %', () => {
    const p = program('command=echo 100%%\nnumprocs=1\nstartsecs=%(ENV_NUM)s\nautostart=%(ENV_FLAG)s');
    expect([p.command, p.startSecs, p.autostart]).toEqual(['echo 100%', 3, true]);
  });

  test('group_name is the [group:x] name inside a group, and groups order by (priority, name)', () => {
    const c = config(
      '[program:b]\ncommand=%(group_name)s\n[program:a]\ncommand=%(group_name)s\npriority=5\n[group:g]\nprograms=b, a\npriority=10\n[program:z]\ncommand=z\npriority=10\n',
    );
    expect(c.groups.map((g) => [g.name, g.kind, g.processes.map((p) => `${p.name}=${p.command}`)])).toEqual([
      ['g', 'group', ['b=g', 'a=g']],
      ['z', 'program', ['z=z']],
    ]);
  });

  test('[supervisord] environment is expanded twice', () => {
    const c = config('[supervisord]\nenvironment=X="50%%%%",N="%%(host_node_name)s"\n', {
      withSupervisord: false,
    });
    expect(c.supervisord.environment).toEqual({ X: '50%', N: 'node1' });
  });
});

describe('servers and [supervisorctl]', () => {
  test.each([
    ['127.0.0.1:9001', '127.0.0.1', 9001],
    ['*:9001', '', 9001],
    [':9001', '', 9001],
    ['9001', '', 9001],
    ['LOCALHOST:80', 'localhost', 80],
  ])('inet port=%s', (port, host, number) => {
    expect(
      config(`[inet_http_server]\nport=${port}\nusername=u\npassword={SHA}x\n`).httpServers[0],
    ).toMatchObject({
      family: 'inet',
      host,
      port: number,
      username: 'u',
      password: '{SHA}x',
    });
  });

  test('unix socket: relative and // paths are normalised against the working directory; chmod and chown', () => {
    const c = config(
      '[unix_http_server]\nfile=run//x/../s.sock\nchmod=0770\nchown=nobody:nogroup\n[unix_http_server:b]\nfile=%(here)s/b.sock\n',
    );
    expect(c.httpServers).toMatchObject([
      {
        family: 'unix',
        name: null,
        file: '/cwd/run/s.sock',
        chmod: 0o770,
        chown: { user: 'nobody', group: 'nogroup' },
      },
      { family: 'unix', name: 'b', file: '/etc/sd/b.sock', chmod: 0o700, chown: null },
    ]);
  });

  test('[supervisorctl] is read for clients; its problems only warn (supervisord ignores it)', () => {
    const c = config('[supervisorctl]\nserverurl=unix://%(here)s/../s.sock\nprompt=%(ENV_NOPE)s\n');
    expect(c.supervisorctl).toMatchObject({
      serverUrl: 'unix:///etc/s.sock',
      prompt: 'supervisor',
      username: null,
    });
    expect(c.warnings.some((w) => w.section === 'supervisorctl' && w.option === 'prompt')).toBe(true);
  });

  test('[rpcinterface:x]: Supervisor’s own is silent, a plugin warns', () => {
    const main = 'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface';
    expect(analyze(`[rpcinterface:supervisor]\n${main}\n`).warnings).toEqual([]);
    const r = analyze('[rpcinterface:twiddler]\nsupervisor.rpcinterface_factory = twiddler:make\n');
    expect(r.config!.rpcInterfaces).toEqual([{ name: 'twiddler', factory: 'twiddler:make', extras: {} }]);
    expect(r.warnings[0]!.message).toContain('a Python plugin supd cannot load');
  });

  test('eventlistener and fcgi-program groups', () => {
    const c = config(
      '[eventlistener:mon]\ncommand=python mon.py\nevents=process_state, TICK_60\nbuffer_size=50\n[fcgi-program:php]\ncommand=php-cgi\nsocket=unix:///run//php.sock\nsocket_mode=0660\nprocess_name=php%(process_num)d\nnumprocs=2\n',
    );
    expect(c.groups.map((g) => ({ ...g, processes: g.processes.map((p) => p.name) }))).toMatchObject([
      {
        kind: 'eventlistener',
        name: 'mon',
        priority: -1,
        events: ['PROCESS_STATE', 'TICK_60'],
        bufferSize: 50,
        processes: ['mon'],
      },
      {
        kind: 'fcgi-program',
        name: 'php',
        socket: { family: 'unix', path: '/run/php.sock', mode: 0o660 },
        processes: ['php0', 'php1'],
      },
    ]);
  });

  test('fcgi socket URLs as supervisord shows them (its main log, the reread diff)', () => {
    const url = (socket: string) => {
      const group = config(`[fcgi-program:f]\ncommand=x\nsocket=${socket}\n`).groups[0]!;
      return group.kind === 'fcgi-program' ? [group.socketUrl, group.socket] : [];
    };
    expect(url('unix:///run/./php/..//f.sock/')).toEqual([
      'unix:///run/f.sock',
      { family: 'unix', path: '/run/f.sock', owner: null, mode: 0o700 },
    ]);
    expect(url('tcp://LocalHost:09000')).toEqual([
      'tcp://localhost:9000',
      { family: 'inet', host: 'localhost', port: 9000 },
    ]);
  });
});

describe('convertPath: path options given outside a config file (supervisord -l -j -q -d)', () => {
  test.each([
    ['existingDirPath', '/etc/x.log', { ok: true, value: '/etc/x.log' }],
    ['existingDirPath', 'x.log', { ok: true, value: 'x.log' }],
    ['existingDirPath', '~/x.log', { ok: true, value: '/tmp/x.log' }],
    [
      'existingDirPath',
      'nosuch/../x.log',
      {
        ok: false,
        supervisorMessage: 'The directory named as part of the path nosuch/../x.log does not exist',
      },
    ],
    [
      'existingDirPath',
      '/etc/passwd/x.log',
      {
        ok: false,
        supervisorMessage: 'The directory named as part of the path /etc/passwd/x.log does not exist',
      },
    ],
    ['existingDirectory', 'etc', { ok: true, value: 'etc' }],
    [
      'existingDirectory',
      '/nonexistent',
      { ok: false, supervisorMessage: '/nonexistent is not an existing directory' },
    ],
  ] as const)('%s %s', (type, text, expected) => {
    // Relative paths are from cwd (here /), not from the process's working directory.
    expect(convertPath(type, text, { cwd: '/', env: { HOME: '/tmp' } })).toMatchObject(expected);
  });

  test("a config's paths are checked from its cwd too, as the command line's are", () => {
    const check = (cwd: string) =>
      analyzeConfig('[supervisord]\nlogfile=etc/x.log\nchildlogdir=etc\n', {
        path: 'sd.conf',
        cwd,
      }).issues.map((issue) => issue.supervisorMessage);
    expect(check('/')).toEqual([]);
    expect(check('/nonexistent')).toEqual([
      'The directory named as part of the path etc/x.log does not exist',
      'etc is not an existing directory',
    ]);
  });
});
