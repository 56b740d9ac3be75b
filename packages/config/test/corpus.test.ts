// Every real config in ../shared/corpus against what Supervisor 4.2.5's own parser made of it.
// The files are other people's: they are read in place and never copied into this repo.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeConfig, type Config, type LogTarget, type ProcessConfig } from '../src/index.ts';

const CORPUS = resolve(import.meta.dirname, '../../../../shared/corpus');
const HERE = '/corpus-here';
const CWD = '/corpus-cwd';
const present = existsSync(join(CORPUS, 'golden'));
const goldens = present
  ? readdirSync(join(CORPUS, 'golden'))
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

// Golden paths write the parse directory as <here> and the working directory as <cwd>.
function placeholders(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll(HERE, '<here>').replaceAll(CWD, '<cwd>');
  if (Array.isArray(value)) return value.map(placeholders);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholders(v)]));
  }
  return value;
}

const logName = (t: LogTarget) => (t.kind === 'auto' ? 'AUTO' : t.kind === 'none' ? 'NONE' : t.path);

function processShape(p: ProcessConfig) {
  const channel = (name: 'stdout' | 'stderr') => {
    const c = p[name];
    return {
      [`${name}_logfile`]: logName(c.logfile),
      [`${name}_logfile_maxbytes`]: c.logfileMaxBytes,
      [`${name}_logfile_backups`]: c.logfileBackups,
      [`${name}_capture_maxbytes`]: c.captureMaxBytes,
      [`${name}_events_enabled`]: c.eventsEnabled,
      [`${name}_syslog`]: c.syslog,
    };
  };
  return {
    name: p.name,
    command: p.command,
    directory: p.directory,
    umask: p.umask,
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
    user: p.user,
    redirect_stderr: p.redirectStderr,
    ...channel('stdout'),
    ...channel('stderr'),
    environment: p.environment,
    serverurl: p.serverUrl,
  };
}

// Our typed config in the golden files' schema.
function goldenShape(c: Config) {
  const s = c.supervisord;
  return {
    supervisord: {
      logfile: s.logfile,
      logfile_maxbytes: s.logfileMaxBytes,
      logfile_backups: s.logfileBackups,
      loglevel: s.loglevel,
      pidfile: s.pidfile,
      nodaemon: s.nodaemon,
      silent: s.silent,
      minfds: s.minfds,
      minprocs: s.minprocs,
      umask: s.umask,
      user: s.user,
      directory: s.directory,
      identifier: s.identifier,
      childlogdir: s.childlogdir,
      nocleanup: s.nocleanup,
      strip_ansi: s.stripAnsi,
      environment: s.environment,
    },
    http_servers: c.httpServers.map((h) =>
      h.family === 'unix'
        ? {
            section: h.section,
            name: h.name,
            family: 'unix',
            file: h.file,
            chmod: h.chmod,
            chown: [h.chown?.user ?? -1, h.chown?.group ?? -1],
            username: h.username,
            password: h.password,
          }
        : {
            section: h.section,
            name: h.name,
            family: 'inet',
            host: h.host,
            port: h.port,
            username: h.username,
            password: h.password,
          },
    ),
    rpcinterfaces: c.rpcInterfaces.map((r) => ({ name: r.name, factory: r.factory, extras: r.extras })),
    groups: c.groups.map((g) => ({
      name: g.name,
      type: g.kind,
      priority: g.priority,
      ...(g.kind === 'eventlistener'
        ? { events: g.events, buffer_size: g.bufferSize, result_handler: g.resultHandler }
        : {}),
      ...(g.kind === 'fcgi-program' ? { socket: g.socketUrl } : {}),
      processes: g.processes.map(processShape),
    })),
  };
}

// Supervisor normalises some paths after %(here)s is substituted (<here>/../x stays in goldens).
function normalisePaths(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('<here>/')) return posix.normalize(value);
  if (Array.isArray(value)) return value.map(normalisePaths);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalisePaths(v)]));
  }
  return value;
}

describe.skipIf(!present)('corpus (../shared/corpus)', () => {
  test.each(goldens)('%s', (goldenFile) => {
    const golden = JSON.parse(readFileSync(join(CORPUS, 'golden', goldenFile), 'utf8'));
    const text = readFileSync(join(CORPUS, 'configs', golden.file), 'utf8') + (golden.appended_text ?? '');
    const result = analyzeConfig(text, {
      path: `${HERE}/${golden.file}`,
      env: golden.env,
      hostNodeName: golden.host_node_name,
      cwd: CWD,
      host: false,
    });
    if (!golden.ok) {
      expect(result.config).toBeUndefined();
      expect(placeholders(result.issues[0]?.supervisorMessage)).toBe(golden.error);
      return;
    }
    expect(result.issues.map((i) => i.supervisorMessage)).toEqual([]);
    const supervisorWarnings = result.warnings.filter((w) => w.origin === 'supervisor').map((w) => w.message);
    expect(placeholders(supervisorWarnings)).toEqual(golden.warnings);
    const ours = normalisePaths(placeholders(goldenShape(result.config!)));
    expect(ours).toEqual(
      normalisePaths({
        supervisord: golden.supervisord,
        http_servers: golden.http_servers,
        rpcinterfaces: golden.rpcinterfaces,
        groups: golden.groups,
      }),
    );
    expect(placeholders(result.config!.includes)).toEqual(golden.includes);
  });
});

if (!present)
  test.skip('corpus skipped: ../shared/corpus is absent', () => {
    console.warn(`corpus tests skipped: ${CORPUS} not found`);
  });
