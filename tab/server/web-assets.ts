// The tab's browser bundles as the build left them (dist/tab/web: content-hashed file names and manifest.json mapping
// each page's entry to its files), held in memory with a gzip copy once asked for. Only files the manifest lists can be served.
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';

export const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

export interface PageAssets {
  js: string;
  css: string[];
  /** Chunks the entry imports (modulepreload). */
  preload: string[];
}

export interface WebAsset {
  body: Buffer;
  gzip?: Buffer;
  contentType: string;
}

export interface WebAssets {
  page(entry: string): PageAssets | undefined;
  file(name: string): WebAsset | undefined;
}

const manifestSchema = z.object({
  entries: z.record(z.string(), z.object({ js: z.string(), css: z.array(z.string()), preload: z.array(z.string()) })),
  files: z.array(z.string()),
});

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Throws when the bundles were not built (run `npm run build`). Files are read (and gzipped) on first request. */
export function loadWebAssets(dir = WEB_DIR): WebAssets {
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const listed = new Set(manifest.files.filter((name) => /^[\w.-]+$/.test(name) && !name.startsWith('.') && TYPES[extname(name)] !== undefined));
  const cache = new Map<string, WebAsset>();
  return {
    page: (entry) => manifest.entries[entry],
    file(name) {
      if (!listed.has(name)) return undefined;
      let asset = cache.get(name);
      if (!asset) {
        const body = readFileSync(join(dir, name));
        asset = { body, contentType: TYPES[extname(name)]!, ...(body.length > 1024 ? { gzip: gzipSync(body) } : {}) };
        cache.set(name, asset);
      }
      return asset;
    },
  };
}
