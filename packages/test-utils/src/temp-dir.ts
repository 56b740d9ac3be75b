import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A directory that is removed with everything in it when disposed. */
export interface TempDir extends AsyncDisposable {
  readonly path: string;
  close(): Promise<void>;
}

/**
 * Creates a fresh directory under the system temp dir (short path, so unix sockets fit).
 * @example
 * await using dir = makeTempDir();
 * writeFileSync(join(dir.path, 'a.conf'), '');
 */
export function makeTempDir(prefix = 'supctl-'): TempDir {
  const path = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const close = async (): Promise<void> => {
    rmSync(path, { recursive: true, force: true });
  };
  return { path, close, [Symbol.asyncDispose]: close };
}
