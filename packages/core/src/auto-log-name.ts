import { closeSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pyRepr } from '@supctl/config';
import type { MainLogger } from './main-log.ts';

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
 * matches them: `.+?---<identifier>-\S+\.log\.{0,1}\d{0,4}` at the start of the name, whatever
 * follows (so `web---supervisor-k2j_8x0q.log.1` and `….logold` both match).
 */
export function isAutoLogName(file: string, identifier: string): boolean {
  const id = identifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^.+?---${id}-\\S+\\.log`).test(file);
}

/**
 * Deletes the AUTO child logs of `identifier` in `childlogdir`, as supervisord does at every
 * start and reload unless `nocleanup`, with its warnings when a directory or file cannot be
 * removed. Returns the deleted paths.
 */
export function cleanupAutoLogs(childlogdir: string, identifier: string, logger?: MainLogger): string[] {
  const removed: string[] = [];
  let files: string[];
  try {
    files = readdirSync(childlogdir);
  } catch {
    logger?.log('warn', 'Could not clear childlog dir');
    return removed;
  }
  for (const file of files) {
    if (!isAutoLogName(file, identifier)) continue;
    const path = join(childlogdir, file);
    try {
      rmSync(path);
      removed.push(path);
    } catch {
      logger?.log('warn', `Failed to clean up ${pyRepr(path)}`);
    }
  }
  return removed;
}
