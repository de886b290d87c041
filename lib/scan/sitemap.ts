import { fetchResource, type FetchNetwork } from './fetch';

/** A sitemap holds at most 50,000 URLs (sitemaps.org); a scan takes at most this many pages. */
export const MAX_SITE_PAGES = 10_000;
const MAX_SITEMAP_FILES = 200;
const MAX_INDEX_DEPTH = 3;

export interface SitemapFile {
  kind: 'urlset' | 'index';
  /** Page addresses (a urlset) or sitemap addresses (an index), in the file's order. */
  locations: string[];
}

/**
 * A sitemap or sitemap index (sitemaps.org protocol 0.9): the `<loc>` of each `<url>` or `<sitemap>`.
 * The format is a fixed, flat shape, so it is read without an XML library: comments dropped, CDATA
 * and the five XML entities (and numeric ones) undone, a namespace prefix on the elements allowed.
 * null: not a sitemap.
 */
export function parseSitemap(xml: string): SitemapFile | null {
  const text = xml.replace(/<!--[\s\S]*?-->/g, '');
  const root = /<([\w.-]+:)?(urlset|sitemapindex)[\s>]/.exec(text);
  if (!root) return null;
  // Only the sitemap's own elements: an image or video extension's <image:loc> is no page.
  const prefix = (root[1] ?? '').replace(/[.]/g, '\\.');
  const item = root[2] === 'sitemapindex' ? 'sitemap' : 'url';
  const locations: string[] = [];
  for (const block of text.matchAll(new RegExp(`<${prefix}${item}[\\s>]([\\s\\S]*?)</${prefix}${item}\\s*>`, 'g'))) {
    const loc = new RegExp(`<${prefix}loc\\s*>([\\s\\S]*?)</${prefix}loc\\s*>`).exec(block[1]!);
    if (!loc) continue;
    const raw = loc[1]!.trim().replace(/^<!\[CDATA\[([\s\S]*)\]\]>$/, '$1');
    const value = decodeXml(raw).trim();
    if (value) locations.push(value);
  }
  return { kind: root[2] === 'sitemapindex' ? 'index' : 'urlset', locations };
}

function decodeXml(value: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, name: string) => {
    if (name[0] !== '#') return named[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Every page a sitemap lists, following a sitemap index into its sitemaps (gzipped or not), in order and
 * without repeats. Only http(s) pages; at most MAX_SITE_PAGES.
 */
export async function readSitemaps(start: string, network: FetchNetwork): Promise<{ pages: string[]; files: number }> {
  const pages: string[] = [];
  const seen = new Set<string>();
  const visited = new Set<string>();
  async function read(url: string, depth: number): Promise<void> {
    if (visited.has(url) || visited.size >= MAX_SITEMAP_FILES || pages.length >= MAX_SITE_PAGES) return;
    visited.add(url);
    const fetched = await fetchResource(url, network);
    if (fetched.status !== 200) throw new Error(`${url} answered ${fetched.status}`);
    const sitemap = parseSitemap(fetched.body.toString('utf8'));
    if (!sitemap) throw new Error(`${url} is not a sitemap (no <urlset> or <sitemapindex>)`);
    for (const location of sitemap.locations) {
      const absolute = pageUrl(location, fetched.url);
      if (absolute === null) continue;
      if (sitemap.kind === 'index') {
        if (depth < MAX_INDEX_DEPTH) await read(absolute, depth + 1);
      } else if (!seen.has(absolute) && pages.length < MAX_SITE_PAGES) {
        seen.add(absolute);
        pages.push(absolute);
      }
    }
  }
  await read(start, 0);
  return { pages, files: visited.size };
}

/** An http(s) address without its fragment (the page is the same), resolved against `base`; null for anything else. */
export function pageUrl(location: string, base: string): string | null {
  try {
    const url = new URL(location, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}
