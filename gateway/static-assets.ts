import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A file the gateway serves itself (the IDE's and the console's assets: no CDN, works offline). */
export interface StaticAsset {
  readonly file: string;
  readonly type: string;
}

/**
 * A handler for a fixed table of URL paths → local files, each read once on first request and kept in memory
 * (a few hundred KB in all); any other path is 404. `headers` are added to every answer (caching, CSP).
 */
export function staticAssetHandler(assets: Readonly<Record<string, StaticAsset>>, headers: Readonly<Record<string, string>>) {
  const cache = new Map<string, Buffer>();
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const asset = assets[path];
    if (!asset) {
      res.writeHead(404).end();
      return;
    }
    let body = cache.get(path);
    if (!body) {
      body = readFileSync(asset.file);
      cache.set(path, body);
    }
    res.writeHead(200, { 'content-type': `${asset.type}; charset=utf-8`, ...headers });
    res.end(body);
  };
}
