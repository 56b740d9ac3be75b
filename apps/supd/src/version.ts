import { readFileSync } from 'node:fs';

/** supd's version, from its package.json (works from src/ and dist/ alike). */
export function supdVersion(): string {
  return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
}
