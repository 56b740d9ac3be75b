// Bundles the daemon that bin/supd.cjs runs (issue 5: supd's RSS): dist/daemon.cjs, supd's own
// code with @supctl/config, core, events, http, rpc and msgpackr, in one CommonJS file, and
// dist/v8-tuning.cjs, which the bin runs first. Without comments or indentation, names kept
// (stack traces stay readable). Measured with 100 programs: about 1.2 MiB less RSS at start than
// some hundred modules, and after a first `supervisorctl status` 53.7 MiB instead of 58.4 (http's
// two dozen modules and a second copy of rpc and events, loaded one by one).
//
// CommonJS rather than ES modules: Node then never starts its ES module loader (some fifteen of
// its own modules and their state), 0.3 MiB less RSS at rest. @supctl/http, which supd needs only
// on the first HTTP connection, is in the same file, but esbuild wraps each module that is
// imported with `import()` in a function run on that first import: until then its code is only
// source text, never compiled or run. `import.meta.url` (which @supctl/core and @supctl/http use
// to find their files by package name) becomes this file's URL.
//
// msgpackr comes in through its plain entry (pack, unpack, iterators) rather than its Node entry,
// which adds typed structs, streams and the optional native string extractor (with the packages
// that find it): none of which supd uses, as the requests it decodes are small. 0.5 MiB less RSS.
// Its licence goes beside the bundle (dist/msgpackr.LICENSE).
//
// Left out, loaded from node_modules as usual: @supctl/core's native spawn helper and
// @supctl/http's dashboard files, which those packages find by their package names.
// `dist/main.js` and the other tsc outputs stay: they are the `supd` package's library entry.
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const rpcRequire = createRequire(new URL('../node_modules/@supctl/rpc/package.json', import.meta.url));
// (its package.json is not exported: the dir is the one above its CommonJS build, dist/node.cjs)
const msgpackrDir = dirname(dirname(rpcRequire.resolve('msgpackr')));
const msgpackrPlain = {
  name: 'msgpackr-plain',
  setup(b) {
    b.onResolve({ filter: /^msgpackr$/ }, () => ({ path: join(msgpackrDir, 'index.js') }));
  },
};

await build({
  entryPoints: {
    daemon: new URL('../dist/main.js', import.meta.url).pathname,
    'v8-tuning': new URL('../dist/v8-tuning.js', import.meta.url).pathname,
  },
  outdir: new URL('../dist', import.meta.url).pathname,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  plugins: [msgpackrPlain],
  define: { 'import.meta.url': '__supdBundleUrl' },
  // The directive first: esbuild's own "use strict" comes after the banner, where it is only an
  // expression, and the bundle would run in sloppy mode.
  banner: { js: `"use strict";const __supdBundleUrl=require('node:url').pathToFileURL(__filename).href;` },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});

copyFileSync(join(msgpackrDir, 'LICENSE'), new URL('../dist/msgpackr.LICENSE', import.meta.url));
