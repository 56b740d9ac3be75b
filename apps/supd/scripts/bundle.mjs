// Bundles the daemon that bin/supd.js runs (issue 5: supd's RSS): dist/daemon.js, supd's own code
// with @supctl/config, core, events and rpc, and the chunk(s) dist/daemon-*.js that it imports on
// the first HTTP connection, @supctl/http sharing that same rpc. Without comments or indentation,
// names kept (stack traces stay readable). Measured with 100 programs: about 1.2 MiB less RSS at
// start than some hundred modules, and after a first `supervisorctl status` 53.7 MiB instead of
// 58.4 (http's two dozen modules and a second copy of rpc and events, loaded one by one).
//
// Left out, loaded from node_modules as usual:
// - msgpackr, which loads its optional native extension from beside its own code;
// - @supctl/core's native spawn helper and @supctl/http's dashboard files, which those packages
//   find by their package names.
// `dist/main.js` and the other tsc outputs stay: they are the `supd` package's library entry.
import { build } from 'esbuild';

await build({
  entryPoints: { daemon: new URL('../dist/main.js', import.meta.url).pathname },
  outdir: new URL('../dist', import.meta.url).pathname,
  chunkNames: 'daemon-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['msgpackr'],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
