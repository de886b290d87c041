import { getDomain } from 'tldts';
import { CRAWLER_TOKEN, fetchResource, type FetchNetwork } from './fetch';
import { extractLinks } from './links';
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type RobotsRules } from './robots';

/** Pages fetched at the same time while links are collected (the scan itself runs later, in the browser). */
const FETCHES_AT_ONCE = 4;

export interface CrawlResult {
  /** The pages found, breadth first, the start page first. */
  pages: string[];
  /** Addresses not taken, and why (robots.txt, not HTML, an error status), for the progress output. */
  left: { url: string; why: string }[];
}

/**
 * The registrable domain (eTLD+1) of a host, from the Public Suffix List; the host itself for IPs.
 * Only the scan (in Node) needs it: the extension tells the shop from third parties by the catalog's
 * host names, so the list stays out of its bundles.
 */
export function registrableDomain(host: string): string {
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

/**
 * Finds up to `limit` pages of a site breadth first from `start`, the way a search engine's first pass
 * does: the HTML the server sends (no script runs, no form is submitted), same-site links only (the
 * start's registrable domain), each origin's robots.txt honoured for this crawler and `*`. Level by
 * level, in link order, so every machine of a sharded scan finds the same list.
 */
export async function crawlSite(start: string, limit: number, network: FetchNetwork): Promise<CrawlResult> {
  const site = registrableDomain(new URL(start).hostname);
  const robots = new Map<string, Promise<RobotsRules>>();
  const robotsFor = (url: URL) => {
    let rules = robots.get(url.origin);
    if (!rules) robots.set(url.origin, (rules = readRobots(url.origin, network)));
    return rules;
  };
  const pages: string[] = [];
  const left: CrawlResult['left'] = [];
  const seen = new Set<string>([start]);
  let level = [start];
  while (level.length > 0 && pages.length < limit) {
    const next: string[] = [];
    for (let i = 0; i < level.length && pages.length < limit; i += FETCHES_AT_ONCE) {
      const batch = level.slice(i, i + FETCHES_AT_ONCE);
      const results = await Promise.all(batch.map((url) => visit(url, robotsFor, network)));
      for (const [index, result] of results.entries()) {
        if ('why' in result) {
          left.push({ url: batch[index]!, why: result.why });
          continue;
        }
        if (pages.length >= limit) break;
        if (!seen.has(result.url) || result.url === batch[index]) pages.push(result.url);
        seen.add(result.url);
        for (const link of result.links) {
          if (seen.has(link) || registrableDomain(new URL(link).hostname) !== site) continue;
          seen.add(link);
          next.push(link);
        }
      }
    }
    level = next;
  }
  return { pages: [...new Set(pages)], left };
}

async function visit(url: string, robotsFor: (url: URL) => Promise<RobotsRules>, network: FetchNetwork): Promise<{ url: string; links: string[] } | { why: string }> {
  const target = new URL(url);
  if (!(await robotsFor(target)).allows(`${target.pathname}${target.search}`)) return { why: 'robots.txt disallows it' };
  let fetched;
  try {
    fetched = await fetchResource(url, network);
  } catch (error) {
    return { why: error instanceof Error ? error.message : String(error) };
  }
  if (fetched.status !== 200) return { why: `answered ${fetched.status}` };
  if (!/html/i.test(fetched.contentType)) return { why: `not a page (${fetched.contentType || 'no content type'})` };
  const landed = new URL(fetched.url);
  // A redirect can lead where robots.txt (or the site) says no.
  if (fetched.url !== url && !(await robotsFor(landed)).allows(`${landed.pathname}${landed.search}`)) return { why: 'robots.txt disallows where it redirects' };
  return { url: fetched.url, links: extractLinks(fetched.body.toString('utf8'), fetched.url) };
}

/** RFC 9309 §2.3.1: a missing robots.txt (4xx) allows everything; one that cannot be read (5xx, no answer) allows nothing. */
async function readRobots(origin: string, network: FetchNetwork): Promise<RobotsRules> {
  try {
    const fetched = await fetchResource(`${origin}/robots.txt`, network);
    if (fetched.status >= 400 && fetched.status < 500) return ALLOW_ALL;
    if (fetched.status !== 200) return DISALLOW_ALL;
    return parseRobots(fetched.body.toString('utf8'), CRAWLER_TOKEN);
  } catch {
    return DISALLOW_ALL;
  }
}
