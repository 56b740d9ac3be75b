#!/usr/bin/env node
import module from 'node:module';

// Cache compiled code between runs (Node >= 22.1); a no-op where unavailable.
module.enableCompileCache?.();
const { main } = await import('../dist/main.js');
await main(process.argv.slice(2));
