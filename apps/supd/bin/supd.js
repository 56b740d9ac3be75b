#!/bin/sh
//bin/sh -c :; export SUPD_START_NOFILE="$(ulimit -Sn)"; exec node "$0" "$@"
// Line 2 is for /bin/sh, which runs this file when it is started as a program: it notes the soft
// open-files limit supd was started with (Node raises it to the hard limit; supervisord keeps it
// for its children) and runs node on this file. To JavaScript it is a comment.
import module from 'node:module';

// Cache compiled code between runs (Node >= 22.1); a no-op where unavailable.
module.enableCompileCache?.();
// V8 settings for a daemon, before the rest of supd loads (see src/v8-tuning.ts).
const { tuneV8ForStartup } = await import('../dist/v8-tuning.js');
tuneV8ForStartup();
const { main } = await import('../dist/daemon.js');
await main(process.argv.slice(2));
