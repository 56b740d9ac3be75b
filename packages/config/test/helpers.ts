import { analyzeConfig, type Config, type ParseResult } from '../src/index.ts';

export const ENV = { HOME: '/home/u', PATH: '/usr/bin:/bin', USER: 'u', NUM: '3', FLAG: 'true' };

/** Parse with a fixed environment, no host checks, and a [supervisord] section prepended. */
export function analyze(body: string, opts: { withSupervisord?: boolean; path?: string } = {}): ParseResult {
  const text = opts.withSupervisord === false ? body : `[supervisord]\n${body}`;
  return analyzeConfig(text, {
    path: opts.path ?? '/etc/sd/supervisord.conf',
    env: ENV,
    hostNodeName: 'node1',
    cwd: '/cwd',
    host: false,
  });
}

export function config(body: string, opts: { withSupervisord?: boolean; path?: string } = {}): Config {
  const r = analyze(body, opts);
  if (!r.config) throw new Error(`unexpected issues: ${r.issues.map((i) => i.supervisorMessage).join('; ')}`);
  return r.config;
}

/** The first process of the first group of a one-program config. */
export function program(lines: string) {
  return config(`[program:a]\n${lines}\n`).groups[0]!.processes[0]!;
}

/** Supervisor's message for the first problem. */
export function supervisorError(body: string): string | undefined {
  return analyze(body).issues[0]?.supervisorMessage;
}
