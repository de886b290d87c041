import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractLinks } from '@/lib/scan/links';
import { parseRobots } from '@/lib/scan/robots';
import { pickShard } from '@/lib/scan/shard';
import { pageUrl, parseSitemap } from '@/lib/scan/sitemap';

describe('sitemaps (sitemaps.org 0.9)', () => {
  it('reads a urlset: every <loc>, entities and CDATA undone, comments skipped', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <!-- <url><loc>https://www.mijnliefsteboek.nl/old</loc></url> -->
  <url><loc>https://www.mijnliefsteboek.nl/</loc><lastmod>2026-11-30</lastmod><changefreq>daily</changefreq></url>
  <url>
    <loc>
      https://www.mijnliefsteboek.nl/zoeken?q=noor&amp;p=2
    </loc>
    <image:image><image:loc>https://cdn.mijnliefsteboek.nl/noor.jpg</image:loc></image:image>
  </url>
  <url><loc><![CDATA[https://www.mijnliefsteboek.nl/boek/opa-&-ik]]></loc></url>
</urlset>`;
    const sitemap = parseSitemap(xml);
    expect(sitemap?.kind).toBe('urlset');
    // An image sitemap's <image:loc> is a picture, not a page.
    expect(sitemap?.locations).toEqual([
      'https://www.mijnliefsteboek.nl/',
      'https://www.mijnliefsteboek.nl/zoeken?q=noor&p=2',
      'https://www.mijnliefsteboek.nl/boek/opa-&-ik',
    ]);
  });

  it('reads a sitemap index, with a namespace prefix too', () => {
    const xml = `<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:sitemap><sm:loc>https://www.mijnliefsteboek.nl/sitemap-pages.xml</sm:loc></sm:sitemap><sm:sitemap><sm:loc>https://www.mijnliefsteboek.nl/sitemap-books.xml.gz</sm:loc></sm:sitemap></sm:sitemapindex>`;
    expect(parseSitemap(xml)).toEqual({ kind: 'index', locations: ['https://www.mijnliefsteboek.nl/sitemap-pages.xml', 'https://www.mijnliefsteboek.nl/sitemap-books.xml.gz'] });
  });

  it.each([['<html><body>Not found</body></html>'], ['{"urls":[]}'], ['']])('says %j is no sitemap', (text) => {
    expect(parseSitemap(text)).toBeNull();
  });

  it('takes only http(s) pages, without their fragment', () => {
    expect(pageUrl('/over#team', 'https://www.mijnliefsteboek.nl/sitemap.xml')).toBe('https://www.mijnliefsteboek.nl/over');
    expect(pageUrl('ftp://x/y', 'https://a/')).toBeNull();
    expect(pageUrl('javascript:alert(1)', 'https://a/')).toBeNull();
  });
});

describe('robots.txt (RFC 9309)', () => {
  const robots = `# the shop
User-agent: *
Disallow: /checkout
Disallow: /account/
Allow: /account/help
Disallow: /*.pdf$
Disallow: /zoeken?

User-agent: PrivacyLensScan
User-agent: OtherBot
Disallow: /private

User-agent: Googlebot
Disallow: /
`;
  const star = parseRobots(robots, 'SomeCrawler');
  const ours = parseRobots(robots, 'PrivacyLensScan');
  it.each([
    ['/', true],
    ['/checkout', false],
    ['/checkout/betalen', false],
    ['/account/orders', false],
    ['/account/help', true],
    ['/boeken/noor.pdf', false],
    ['/boeken/noor.pdf?x=1', true],
    ['/zoeken?q=noor', false],
    ['/zoeken', true],
  ])('the * group: %s → %s', (path, allowed) => {
    expect(star.allows(path)).toBe(allowed);
  });

  it('a group naming the crawler replaces the * group', () => {
    expect(ours.allows('/checkout')).toBe(true);
    expect(ours.allows('/private/x')).toBe(false);
  });

  it('longest match wins, allow wins a tie, percent-encoding is compared as one', () => {
    const rules = parseRobots('User-agent: *\nDisallow: /a\nAllow: /a/b\nDisallow: /a/b/c\nAllow: /x\nDisallow: /x\nDisallow: /%7Ejoe', 'x');
    expect([rules.allows('/a/z'), rules.allows('/a/b/z'), rules.allows('/a/b/c/d'), rules.allows('/x'), rules.allows('/~joe/')]).toEqual([false, true, false, true, false]);
  });

  it('an empty file or an empty disallow allows everything', () => {
    expect(parseRobots('', 'x').allows('/checkout')).toBe(true);
    expect(parseRobots('User-agent: *\nDisallow:', 'x').allows('/checkout')).toBe(true);
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 50 }), (text, path) => void parseRobots(text, 'x').allows(`/${path}`)));
  });
});

describe('links a crawl follows', () => {
  const page = 'https://www.mijnliefsteboek.nl/boeken/';
  it('resolves <a> and <area> against the page or its <base>, in order, without repeats, fragments or nofollow', () => {
    const html = `<html><head><title>x</title></head><body>
<a href="/">Home</a> <a class="x" href='noor?maat=groot&amp;kleur=rood'>Noor</a>
<a href=/over#team>Over</a> <a href="/">Home again</a> <a href="/geheim" rel="nofollow">x</a>
<a href="mailto:info@mijnliefsteboek.nl">mail</a> <a href="javascript:void(0)">js</a> <a>no href</a>
<!-- <a href="/commented">x</a> --><script>var s = '<a href="/in-script">';</script>
<map><area shape="rect" href="https://www.mijnliefsteboek.nl/kaart"></map>
<form action="/over/privacybeleid/gegevens" method="post"><button>verstuur</button></form>
</body></html>`;
    expect(extractLinks(html, page)).toEqual([
      'https://www.mijnliefsteboek.nl/',
      'https://www.mijnliefsteboek.nl/boeken/noor?maat=groot&kleur=rood',
      'https://www.mijnliefsteboek.nl/over',
      'https://www.mijnliefsteboek.nl/kaart',
    ]);
    expect(extractLinks('<base href="https://www.mijnliefsteboek.nl/nl/"><a href="boek">b</a>', page)).toEqual(['https://www.mijnliefsteboek.nl/nl/boek']);
  });

  it('never throws on hostile markup', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (html) => void extractLinks(html, page)));
  });
});

describe('shards of a URL list', () => {
  const urls = Array.from({ length: 23 }, (_, i) => `https://www.mijnliefsteboek.nl/p/${i}`);
  it('splits into disjoint parts that together are the list, differing in size by one at most, each in the list’s order', () => {
    const parts = [1, 2, 3, 4].map((index) => pickShard(urls, { index, count: 4 }));
    expect(parts.flat().map((p) => p.url).sort()).toEqual([...urls].sort());
    const sizes = parts.map((p) => p.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    for (const part of parts) expect(part.map((p) => p.position)).toEqual([...part.map((p) => p.position)].sort((a, b) => a - b));
    for (const part of parts) for (const { url, position } of part) expect(urls[position]).toBe(url);
  });

  it('gives every machine the same part, whatever order it found the URLs in', () => {
    const shuffled = [...urls].reverse();
    for (const index of [1, 2, 3]) {
      const a = pickShard(urls, { index, count: 3 }).map((p) => p.url).sort();
      const b = pickShard(shuffled, { index, count: 3 }).map((p) => p.url).sort();
      expect(b).toEqual(a);
    }
  });

  it('leaves the list whole without a shard, or with one of one', () => {
    expect(pickShard(urls, undefined)).toHaveLength(23);
    expect(pickShard(urls, { index: 1, count: 1 })).toHaveLength(23);
  });
});
