// Builds the optional spawn helper (native/spawn.c) into native/<platform>-<arch>/spawn.node with
// the system's C compiler and the Node-API headers. Linux only: it needs pidfd_open. Without a
// compiler, or anywhere else, it says so and exits 0: @supctl/core then spawns with
// node:child_process, which works everywhere, only slower.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'native', `${process.platform}-${process.arch}`);
const output = join(outDir, 'spawn.node');

function skip(reason) {
  console.warn(
    `@supctl/core: not building the native spawn helper (${reason}); node:child_process will be used`,
  );
  process.exit(0);
}

if (process.platform !== 'linux') skip(`${process.platform} is not Linux`);

function headers() {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('node-api-headers/package.json')), 'include');
  } catch {
    const bundled = join(dirname(process.execPath), '..', 'include', 'node');
    return existsSync(join(bundled, 'node_api.h')) ? bundled : null;
  }
}

const include = headers();
if (include === null) skip('no Node-API headers');
const cc = process.env.CC ?? 'cc';
mkdirSync(outDir, { recursive: true });
rmSync(output, { force: true }); // never ship a stale helper when this build fails
try {
  execFileSync(
    cc,
    [
      '-std=gnu11',
      '-O2',
      '-Wall',
      '-Wextra',
      '-fPIC',
      '-shared',
      '-pthread',
      '-fvisibility=hidden',
      // Every symbol bound at load: no lazy PLT binding (the dynamic linker, its locks) may ever
      // run in a child that shares our memory (see spawn.c).
      '-Wl,-z,now',
      '-Wl,-z,relro',
      `-I${include}`,
      '-o',
      output,
      join(root, 'native', 'spawn.c'),
      '-ldl', // dlsym: part of libc since glibc 2.34, a library of its own before
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
} catch (error) {
  skip(`${cc} failed: ${error.message.split('\n')[0]}`);
}
