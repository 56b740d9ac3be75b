import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The files under `dashboard-assets/` and the URL path each is served at. */
export const ASSETS = {
  '/dashboard/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/dashboard/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
} as const;

/** A path of {@link ASSETS}. */
export type AssetPath = keyof typeof ASSETS;

/** An asset read into memory, with its validator. */
export interface LoadedAsset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

// Found by the package's own name, not a path relative to this file, so that a bundle of this
// code (supd's bin) still finds them in the installed @supctl/http.
const ASSET_DIR = new URL(
  'dashboard-assets/',
  pathToFileURL(createRequire(import.meta.url).resolve('@supctl/http/package.json')),
);

/** Whether `path` names a dashboard asset. */
export function isAssetPath(path: string): path is AssetPath {
  return Object.hasOwn(ASSETS, path);
}

/** Reads each asset once, on first use, and keeps it in memory. */
export function createAssetCache(): (path: AssetPath) => Promise<LoadedAsset> {
  const cache = new Map<AssetPath, Promise<LoadedAsset>>();
  return (path) => {
    let asset = cache.get(path);
    if (!asset) {
      const { file, type } = ASSETS[path];
      asset = readFile(new URL(file, ASSET_DIR)).then((body) => ({
        body,
        type,
        etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`,
      }));
      // A failed read is not cached, so a later request tries again.
      asset.catch(() => cache.delete(path));
      cache.set(path, asset);
    }
    return asset;
  };
}
