/**
 * The links a page's HTML offers a visitor: `<a href>` and `<area href>`, resolved against the page (or
 * its `<base href>`), in document order, without repeats. Scripts, styles, templates and comments are
 * not read; `rel="nofollow"` is honoured; forms are never links. The markup is scanned, not parsed:
 * enough for the links a server renders, which is what a crawl that runs no script can follow.
 */
export function extractLinks(html: string, pageUrl: string): string[] {
  const text = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style|template|textarea)\b[\s\S]*?<\/\1\s*>/gi, '');
  let base = pageUrl;
  const baseTag = /<base\b[^>]*>/i.exec(text);
  const baseHref = baseTag ? attributes(baseTag[0]).get('href') : undefined;
  if (baseHref) base = resolve(baseHref, pageUrl) ?? pageUrl;
  const links: string[] = [];
  const seen = new Set<string>();
  for (const match of text.matchAll(/<(a|area)\b[^>]*>/gi)) {
    const attrs = attributes(match[0]);
    const href = attrs.get('href');
    if (href === undefined || /(^|\s)nofollow(\s|$)/i.test(attrs.get('rel') ?? '')) continue;
    const url = resolve(href, base);
    if (url && !seen.has(url)) {
      seen.add(url);
      links.push(url);
    }
  }
  return links;
}

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const inner = tag.replace(/^<[^\s>]+/, '').replace(/\/?>$/, '');
  for (const m of inner.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    const name = m[1]!.toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

function decodeEntities(value: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return named[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** An http(s) address without its fragment; null for mailto:, javascript:, tel: and anything broken. */
function resolve(href: string, base: string): string | null {
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}
