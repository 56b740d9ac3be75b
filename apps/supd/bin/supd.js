#!/usr/bin/env node
import module from 'node:module';

// Cache compiled code between runs (Node >= 22.1); a no-op where unavailable.
module.enableCompileCache?.();
// V8 settings for a daemon, before the rest of supd loads (see src/v8-tuning.ts).
const { tuneV8ForStartup } = await import('../dist/v8-tuning.js');
tuneV8ForStartup();
const { main } = await import('../dist/main.js');
await main(process.argv.slice(2));
