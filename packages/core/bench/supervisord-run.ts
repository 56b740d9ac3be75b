// Runs Debian's supervisord 4.2.5 for the comparison benches: `-n -c` on a temp config, a unix
// socket in the temp dir, XML-RPC over that socket, and its main log watched with inotify to
// see when programs reach a state. Every pid it reports spawning is killed on close.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  type FSWatcher,
  openSync,
  readFileSync,
  readSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

export const SUPERVISORD = '/usr/bin/supervisord';

/** Whether supervisord is installed here. */
export function hasSupervisord(): boolean {
  return existsSync(SUPERVISORD);
}

/** The `[supervisord]` part shared by both engines (a unix socket only, no TCP). */
export function baseIni(dir: string): string {
  return `[unix_http_server]
file=${dir}/s.sock

[supervisord]
logfile=${dir}/supervisord.log
logfile_maxbytes=0
loglevel=info
pidfile=${dir}/supervisord.pid
childlogdir=${dir}
nodaemon=true
minfds=8192
minprocs=4096

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

`;
}

/** One `[program:x]` section. */
export function programIni(name: string, options: Record<string, string | number | boolean>): string {
  const lines = Object.entries(options).map(([key, value]) => `${key}=${value}`);
  return `[program:${name}]\n${lines.join('\n')}\n\n`;
}

const EVENT = /(spawned|success|stopped|exited|gave up): '?([^' ]+)'?(?: with pid (\d+))?/;

/**
 * Follows a main log (supervisord's or ours, same words) and counts `spawned`, `success`,
 * `stopped` and `exited` lines, reading appended bytes whenever inotify says the file changed.
 */
export class MainLogWatcher {
  readonly counts = new Map<string, number>();
  readonly pids: number[] = [];
  #fd: number;
  #offset = 0;
  #partial = '';
  #watcher: FSWatcher;
  #poll: NodeJS.Timeout;
  readonly #waiters = new Set<() => void>();

  constructor(path: string) {
    if (!existsSync(path)) writeFileSync(path, '');
    this.#fd = openSync(path, 'r');
    this.#watcher = watch(path, () => this.#read());
    this.#poll = setInterval(() => this.#read(), 50); // in case inotify coalesced the last change
  }

  count(kind: string): number {
    return this.counts.get(kind) ?? 0;
  }

  /** Resolves once `check()` holds after reading the log; rejects after `timeoutMs`. */
  waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
    this.#read();
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new Error(`main log: condition not met in ${timeoutMs} ms (${JSON.stringify([...this.counts])})`),
        );
      }, timeoutMs);
      const waiter = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve();
      };
      this.#waiters.add(waiter);
    });
  }

  close(): void {
    this.#watcher.close();
    clearInterval(this.#poll);
    closeSync(this.#fd);
  }

  #read(): void {
    const buf = Buffer.allocUnsafe(1 << 16);
    let any = false;
    for (;;) {
      const n = readSync(this.#fd, buf, 0, buf.length, this.#offset);
      if (n <= 0) break;
      this.#offset += n;
      const lines = (this.#partial + buf.toString('utf8', 0, n)).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) {
        const m = EVENT.exec(line);
        if (!m) continue;
        any = true;
        this.counts.set(m[1]!, this.count(m[1]!) + 1);
        if (m[3]) this.pids.push(Number(m[3]));
      }
    }
    if (any) for (const waiter of [...this.#waiters]) waiter();
  }
}

function xmlValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return `<boolean>${value ? 1 : 0}</boolean>`;
  if (typeof value === 'number') return `<int>${value}</int>`;
  return `<string>${value.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</string>`;
}

/** A supervisord started with `-n -c <dir>/supervisord.conf`; close() stops it and every child. */
export class SupervisordRun implements AsyncDisposable {
  readonly dir: string;
  readonly log: MainLogWatcher;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #commands: string[];

  private constructor(dir: string, child: ChildProcess, commands: string[]) {
    this.dir = dir;
    this.#child = child;
    this.#commands = commands;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.log = new MainLogWatcher(join(dir, 'supervisord.log'));
  }

  /** Writes `ini` to `<dir>/supervisord.conf`, starts supervisord, waits for its socket. */
  static async start(dir: string, ini: string): Promise<SupervisordRun> {
    const conf = join(dir, 'supervisord.conf');
    writeFileSync(conf, ini);
    writeFileSync(join(dir, 'supervisord.log'), '');
    const commands = [...ini.matchAll(/^command=(\S+)/gm)].map((m) => m[1]!);
    const child = spawn(SUPERVISORD, ['-n', '-c', conf], { stdio: 'ignore' });
    const run = new SupervisordRun(dir, child, commands);
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await run.rpc('supervisor.getPID');
        return run;
      } catch (error) {
        if (Date.now() > deadline || child.exitCode !== null) {
          await run.close();
          throw error;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /** One XML-RPC call over the unix socket; resolves with the raw response body, rejects a fault. */
  rpc(method: string, ...params: (string | number | boolean)[]): Promise<string> {
    const body = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params
      .map((p) => `<param><value>${xmlValue(p)}</value></param>`)
      .join('')}</params></methodCall>`;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath: join(this.dir, 's.sock'),
          path: '/RPC2',
          method: 'POST',
          headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (text.includes('<fault>')) reject(new Error(`${method}: ${text.replace(/\s+/g, ' ')}`));
            else resolve(text);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** SIGTERM (supervisord stops its children), then SIGKILL for anything still alive, by pid. */
  async close(): Promise<void> {
    const pid = this.#child.pid;
    if (pid !== undefined && this.#child.exitCode === null && this.#child.signalCode === null) {
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), 30_000);
      await this.#exited;
      clearTimeout(timer);
    }
    this.log.close();
    for (const child of this.log.pids) killIfOurs(child, this.#commands);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

// Kills `pid` only if it still runs one of our commands (a pid may have been reused).
function killIfOurs(pid: number, commands: readonly string[]): void {
  let argv0: string;
  try {
    argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
  } catch {
    return;
  }
  if (!commands.some((c) => c === argv0 || c.endsWith(`/${argv0}`) || argv0.endsWith(`/${c}`))) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {}
}
