// Site weight: the JavaScript and CSS a browser downloads on first load of the built site
// (web/dist/index.html and what it references), gzipped. Nothing is reported when the site
// has not been built.
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface SiteAsset {
  path: string;
  kind: 'js' | 'css';
  bytes: number;
  gzipBytes: number;
}

export type SiteWeight = { built: false; dist: string } | { built: true; dist: string; assets: SiteAsset[]; js: number; css: number };

/** Script, module-preload and stylesheet URLs of an HTML page, in document order. */
export function firstLoadAssets(html: string): Array<{ url: string; kind: 'js' | 'css' }> {
  const found: Array<{ url: string; kind: 'js' | 'css' }> = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1];
    if (/^<script/i.test(tag) && attr('src')) found.push({ url: attr('src')!, kind: 'js' });
    const rel = attr('rel')?.toLowerCase() ?? '';
    if (/^<link/i.test(tag) && attr('href')) {
      if (rel.split(/\s+/).includes('stylesheet')) found.push({ url: attr('href')!, kind: 'css' });
      else if (rel.split(/\s+/).includes('modulepreload')) found.push({ url: attr('href')!, kind: 'js' });
    }
  }
  return found.filter((a, i) => !/^(https?:)?\/\//.test(a.url) && found.findIndex((b) => b.url === a.url) === i);
}

export function measureSiteWeight(repoRoot: string): SiteWeight {
  const dist = join(repoRoot, 'web', 'dist');
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return { built: false, dist };
  const assets = firstLoadAssets(readFileSync(index, 'utf8')).map(({ url, kind }) => {
    const file = join(dist, normalize(url.split(/[?#]/)[0]!.replace(/^\//, '')));
    const content = readFileSync(file);
    return { path: url, kind, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
  const sum = (kind: 'js' | 'css') => assets.filter((a) => a.kind === kind).reduce((s, a) => s + a.gzipBytes, 0);
  return { built: true, dist, assets, js: sum('js'), css: sum('css') };
}
