import { closeSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// Python's tempfile name characters. Like Python's tempfile, the names come from a plain PRNG: they
// need to be unlikely to collide, not secret ('wx' refuses an existing file and we try again), and
// node:crypto would be loaded at start for nothing else.
const CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_';

/**
 * Creates (mode 0600, like mkstemp) and returns a fresh AUTO child log path:
 * `<childlogdir>/<process>-<channel>---<identifier>-<8 random chars>.log`.
 * @example
 * createAutoLogFile({ childlogdir: '/tmp', processName: 'web', channel: 'stdout', identifier: 'supervisor' });
 * // '/tmp/web-stdout---supervisor-k2j_8x0q.log'
 */
export function createAutoLogFile(options: {
  readonly childlogdir: string;
  readonly processName: string;
  readonly channel: 'stdout' | 'stderr';
  readonly identifier: string;
}): string {
  for (;;) {
    let suffix = '';
    for (let i = 0; i < 8; i++) suffix += CHARS[Math.floor(Math.random() * CHARS.length)];
    const path = join(
      options.childlogdir,
      `${options.processName}-${options.channel}---${options.identifier}-${suffix}.log`,
    );
    try {
      closeSync(openSync(path, 'wx', 0o600));
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Whether `file` (a base name) is an AUTO log of this identifier, as supervisord's startup cleanup
 * matches them (`.+?---<identifier>-\S+\.log\.{0,1}\d{0,4}`).
 */
export function isAutoLogName(file: string, identifier: string): boolean {
  const id = identifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^.+?---${id}-\\S+\\.log\\.?\\d{0,4}$`).test(file);
}

/**
 * Deletes the AUTO child logs of `identifier` in `childlogdir`, as supervisord does at every
 * start and reload unless `nocleanup`. Returns the deleted paths.
 */
export function cleanupAutoLogs(childlogdir: string, identifier: string): string[] {
  const removed: string[] = [];
  for (const file of readdirSync(childlogdir)) {
    if (!isAutoLogName(file, identifier)) continue;
    const path = join(childlogdir, file);
    try {
      rmSync(path);
      removed.push(path);
    } catch {
      // gone already, or not ours to delete
    }
  }
  return removed;
}
