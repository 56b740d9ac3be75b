#!/bin/sh
//bin/sh -c :; export SUPD_START_NOFILE="$(ulimit -Sn)"; exec node "$0" "$@"
// Line 2 is for /bin/sh, which runs this file when it is started as a program: it notes the soft
// open-files limit supd was started with (Node raises it to the hard limit; supervisord keeps it
// for its children) and runs node on this file. To JavaScript it is a comment.
//
// CommonJS, as is the bundle it runs (see scripts/bundle.mjs): Node then never loads its ES
// module loader, which costs a daemon memory for nothing.
'use strict';

// Cache compiled code between runs (Node >= 22.1); a no-op where unavailable.
require('node:module').enableCompileCache?.();
// V8 settings for a daemon, before the rest of supd loads (see src/v8-tuning.ts).
require('../dist/v8-tuning.cjs').tuneV8ForStartup();
require('../dist/daemon.cjs')
  .main(process.argv.slice(2))
  .catch((error) => {
    // main() reports a user's mistakes itself; anything reaching here is a bug in supd.
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
