// Target (issue 2): parsing a 1,000-program config well under 50 ms.
import { bench, describe } from 'vitest';
import { parse } from '../src/index.ts';

function bigConfig(programs: number): string {
  let text =
    '[supervisord]\nlogfile=/tmp/sd.log\nenvironment=A="1",B="2"\n[unix_http_server]\nfile=/tmp/s.sock\n';
  for (let i = 0; i < programs; i++) {
    text += `[program:p${i}]
command=/usr/bin/env node worker.js --id %(program_name)s --n %(process_num)d ; start it
priority=${i % 100}
autorestart=unexpected
startsecs=1
stopsignal=TERM
exitcodes=0,2
stdout_logfile=AUTO
stdout_logfile_maxbytes=10MB
environment=PORT="${8000 + i}",NAME="%(program_name)s"
`;
  }
  return text;
}

const text1000 = bigConfig(1000);
const options = {
  path: '/etc/supervisor/supervisord.conf',
  env: { HOME: '/root' },
  hostNodeName: 'h',
  host: false,
} as const;

describe('parse', () => {
  bench('1,000 programs', () => {
    parse(text1000, options);
  });
  bench('1,000 programs with host checks', () => {
    parse(text1000, { ...options, host: undefined });
  });
});
