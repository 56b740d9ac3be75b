// Keys each section understands, for supctl's "unknown option" warnings (Supervisor ignores
// unknown keys silently, which hides typos such as `autostart_=` or `numproc=`).
const CHANNEL = [
  'logfile',
  'logfile_maxbytes',
  'logfile_backups',
  'capture_maxbytes',
  'events_enabled',
  'syslog',
];

const PROGRAM = [
  'command',
  'process_name',
  'numprocs',
  'numprocs_start',
  'priority',
  'autostart',
  'autorestart',
  'startsecs',
  'startretries',
  'exitcodes',
  'stopsignal',
  'stopwaitsecs',
  'stopasgroup',
  'killasgroup',
  'user',
  'directory',
  'umask',
  'redirect_stderr',
  'environment',
  'serverurl',
  ...CHANNEL.flatMap((k) => [`stdout_${k}`, `stderr_${k}`]),
];

const BY_PREFIX: ReadonlyArray<readonly [string, readonly string[] | null]> = [
  [
    'supervisord',
    [
      'logfile',
      'logfile_maxbytes',
      'logfile_backups',
      'loglevel',
      'pidfile',
      'umask',
      'nodaemon',
      'silent',
      'minfds',
      'minprocs',
      'nocleanup',
      'childlogdir',
      'user',
      'directory',
      'strip_ansi',
      'environment',
      'identifier',
      'profile_options',
    ],
  ],
  ['supervisorctl', ['serverurl', 'username', 'password', 'prompt', 'history_file']],
  ['unix_http_server', ['file', 'chmod', 'chown', 'username', 'password']],
  ['inet_http_server', ['port', 'username', 'password']],
  ['include', ['files']],
  ['group:', ['programs', 'priority']],
  ['program:', PROGRAM],
  ['eventlistener:', [...PROGRAM, 'events', 'buffer_size', 'result_handler']],
  ['fcgi-program:', [...PROGRAM, 'socket', 'socket_backlog', 'socket_owner', 'socket_mode']],
  ['rpcinterface:', null],
  ['ctlplugin:', null],
];

/** The keys a section accepts; null = any (plugin factories take arbitrary keywords); undefined = an unknown section. */
export function knownKeys(section: string): readonly string[] | null | undefined {
  for (const [prefix, keys] of BY_PREFIX) {
    if (
      prefix.endsWith(':')
        ? section.startsWith(prefix)
        : section === prefix || section.startsWith(`${prefix}:`)
    ) {
      return keys;
    }
  }
  if (section.startsWith('inet_http_server') || section.startsWith('unix_http_server')) {
    return BY_PREFIX.find(([p]) => section.startsWith(p))![1];
  }
  return undefined;
}

// Levenshtein distance, for "did you mean" suggestions.
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within a small edit distance, if any. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

export const SECTION_PREFIXES = [
  'supervisord',
  'supervisorctl',
  'unix_http_server',
  'inet_http_server',
  'include',
  'group:',
  'program:',
  'eventlistener:',
  'fcgi-program:',
  'rpcinterface:',
  'ctlplugin:',
];
