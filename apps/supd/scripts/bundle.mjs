// Bundles the daemon that bin/supd.js runs into one module, dist/daemon.js: supd's own code with
// @supctl/config, core, events and rpc (issue 5: supd's RSS). One module instead of about a
// hundred, without comments or indentation, is about 1.2 MiB less RSS with 100 programs. Names
// are kept, so stack traces stay readable.
//
// Left out, loaded from node_modules as usual:
// - @supctl/http, which supd loads on the first HTTP connection and which serves its dashboard's
//   files from beside its own code;
// - msgpackr, which loads its optional native extension from beside its own code;
// - @supctl/core's native spawn helper, which core requires by package name.
// `dist/main.js` and the other tsc outputs stay: they are the `supd` package's library entry.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../dist/main.js', import.meta.url).pathname],
  outfile: new URL('../dist/daemon.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@supctl/http', 'msgpackr'],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});
