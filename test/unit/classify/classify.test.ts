import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClassifier, createCookieMatcher, createHostingDetector, splitUrl } from '@/lib/classify';
import { normaliseHost } from '@/lib/classify/url';

const { classifyUrl, isShopHost } = createClassifier();

function entryOf(url: string): string | null {
  const cls = classifyUrl(url);
  return cls.party === 'listed' ? cls.entryId : cls.party;
}

describe('classifyUrl on real tracker URLs', () => {
  it.each([
    ['https://www.googletagmanager.com/gtm.js?id=GTM-MLB7Q2', 'google-tag-manager', 'script'],
    ['https://www.googletagmanager.com/gtag/js?id=G-MLB1234567', 'google-tag-manager', 'script'],
    ['https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&gcs=G111&gcd=13r3r3r3r5&cid=123.456&en=page_view', 'google-analytics', 'hit'],
    ['https://www.google-analytics.com/analytics.js', 'google-analytics', 'script'],
    ['https://www.google-analytics.com/j/collect?v=1', 'google-analytics', 'hit'],
    ['https://stats.g.doubleclick.net/g/collect?v=2', 'google-analytics', 'hit'],
    ['https://www.google.com/g/collect?v=2&tid=G-X', 'google-analytics', 'hit'],
    ['https://www.googleadservices.com/pagead/conversion_async.js', 'google-ads', 'script'],
    ['https://www.googleadservices.com/pagead/conversion/987654321/?label=x', 'google-ads', 'hit'],
    ['https://googleads.g.doubleclick.net/pagead/viewthroughconversion/987654321/?random=1', 'google-ads', 'hit'],
    ['https://www.google.com/pagead/1p-conversion/987654321/', 'google-ads', 'hit'],
    ['https://www.google.nl/pagead/1p-user-list/987654321/', 'google-ads', 'hit'],
    ['https://bat.bing.com/bat.js', 'microsoft-ads', 'script'],
    ['https://bat.bing.com/action/0?ti=187654321&evt=pageLoad', 'microsoft-ads', 'hit'],
    ['https://connect.facebook.net/nl_NL/fbevents.js', 'meta-pixel', 'script'],
    ['https://connect.facebook.net/signals/config/1234567890123456?v=2.9.174', 'meta-pixel', 'config'],
    ['https://www.facebook.com/tr/?id=1234567890123456&ev=PageView', 'meta-pixel', 'hit'],
    ['https://www.facebook.com/tr?id=1&ev=Purchase', 'meta-pixel', 'hit'],
    ['https://widget.trustpilot.com/bootstrap/v5/tp.widget.bootstrap.min.js', 'trustpilot', 'script'],
    ['https://invitejs.trustpilot.com/tp.min.js', 'trustpilot', 'script'],
    ['https://checkoutshopper-live.adyen.com/checkoutshopper/sdk/5.68.0/adyen.js', 'adyen', 'script'],
    ['https://checkoutshopper-live.adyen.com/checkoutshopper/v3/analytics?clientKey=live_X', 'adyen', 'payment'],
    ['https://www.paypal.com/checkoutnow?token=1', 'adyen', 'payment'],
  ])('%s → %s (%s)', (url, entryId, kind) => {
    expect(classifyUrl(url)).toMatchObject({ party: 'listed', entryId, kind });
  });

  it('marks PayPal as reached through Adyen and seen from the page only', () => {
    expect(classifyUrl('https://www.paypalobjects.com/api/checkout.js')).toMatchObject({ entryId: 'adyen', via: 'PayPal', observeBy: 'page' });
  });

  it('leaves google.com outside the catalog unless a path rule says otherwise', () => {
    expect(classifyUrl('https://www.google.com/search?q=boek')).toEqual({ party: 'unlisted', host: 'www.google.com' });
  });
});

describe('classifyUrl on the shop and on odd or hostile input', () => {
  it.each([
    ['https://www.mijnliefsteboek.nl/', 'shop'],
    ['https://static.mijnliefsteboek.nl/img/cover.jpg', 'shop'],
    ['https://mijnliefsteboek.nl./', 'shop'],
    // look-alikes
    ['https://google-analytics.com.evil.example/g/collect', 'unlisted'],
    ['https://xgoogle-analytics.com/g/collect', 'unlisted'],
    ['https://evil-facebook.com/tr', 'unlisted'],
    ['https://facebook.com.mijnliefsteboek.nl.evil.example/tr', 'unlisted'],
    ['https://google-analytics.com@evil.example/collect', 'unlisted'],
    // case, trailing dot, ports, user info
    ['HTTPS://WWW.GOOGLE-ANALYTICS.COM/G/COLLECT?V=2', 'google-analytics'],
    ['https://www.google-analytics.com./g/collect', 'google-analytics'],
    ['https://www.google-analytics.com:443/g/collect', 'google-analytics'],
    ['http://user:pw@bat.bing.com:8080/action/0', 'microsoft-ads'],
    // punycode and Unicode
    ['https://xn--gogle-analytics-ssb.com/collect', 'unlisted'],
    ['https://göogle-analytics.com/collect', 'unlisted'],
    // IP literals
    ['http://127.0.0.1:8080/collect', 'unlisted'],
    ['http://[::1]:8080/collect', 'unlisted'],
    ['https://[2001:db8::1]/tr', 'unlisted'],
    // not the web
    ['data:text/html,<script>alert(1)</script>', 'not-web'],
    ['blob:https://www.mijnliefsteboek.nl/5a1c', 'not-web'],
    ['about:blank', 'not-web'],
    ['chrome-extension://abc/popup.html', 'not-web'],
    ['javascript:alert(1)', 'not-web'],
    ['', 'not-web'],
    ['https://', 'not-web'],
    // The URL standard skips extra slashes after a special scheme: this is the host "path".
    ['https:///path', 'unlisted'],
    ['http://exa mple.com/', 'not-web'],
    ['https://%/', 'not-web'],
  ])('%s → %s', (url, expected) => {
    expect(entryOf(url)).toBe(expected);
  });

  it('handles a 100 kB URL without choking', () => {
    const huge = `https://www.facebook.com/tr/?id=1&ev=PageView&x=${'a'.repeat(100_000)}`;
    expect(classifyUrl(huge)).toMatchObject({ entryId: 'meta-pixel', kind: 'hit' });
    const hugeHost = `https://${'a.'.repeat(50_000)}google-analytics.com/collect`;
    expect(() => classifyUrl(hugeHost)).not.toThrow();
  });

  it('knows the shop hosts', () => {
    expect(isShopHost('www.mijnliefsteboek.nl')).toBe(true);
    expect(isShopHost('.mijnliefsteboek.nl')).toBe(false);
    expect(isShopHost('mijnliefsteboek.nl')).toBe(true);
    expect(isShopHost('MIJNLIEFSTEBOEK.NL.')).toBe(true);
    expect(isShopHost('bat.bing.com')).toBe(false);
  });
});

describe('splitUrl', () => {
  it.each([
    ['https://a.example/b?c=1#frag', { host: 'a.example', pathAndQuery: '/b?c=1' }],
    ['https://a.example?c=1', { host: 'a.example', pathAndQuery: '/?c=1' }],
    ['https://a.example', { host: 'a.example', pathAndQuery: '/' }],
    ['ftp://a.example/', null],
    // The parser lower-cases the scheme and the host, and so does the fast path; the path stays.
    ['HTTPS://WWW.GOOGLE-ANALYTICS.COM/G/COLLECT?V=2', { host: 'www.google-analytics.com', pathAndQuery: '/G/COLLECT?V=2' }],
    ['Http://A.Example:8080', { host: 'a.example', pathAndQuery: '/' }],
    ['hTtPs://user:pw@A.example/x', { host: 'a.example', pathAndQuery: '/x' }],
    ['httpx://a.example/', null],
    ['http://127.0.0.1:8080/x', { host: '127.0.0.1', pathAndQuery: '/x' }],
    ['http://0x7f.1/', { host: '127.0.0.1', pathAndQuery: '/' }], // the parser's IPv4 forms
    ['http://127.000.0.1/', { host: '127.0.0.1', pathAndQuery: '/' }],
    ['http://1.2.3.256/', null],
    ['https://user:pw@connect.facebook.net/nl_NL/fbevents.js', { host: 'connect.facebook.net', pathAndQuery: '/nl_NL/fbevents.js' }],
    ['https://a@b@c.example/x@y', { host: 'c.example', pathAndQuery: '/x@y' }], // the last '@' before the path
    ['https://a\\b@c.example/', { host: 'a', pathAndQuery: '/b@c.example/' }], // a backslash starts the path
    ['https://w@/x', null], // no host after the user info (without it, the parser would skip the slashes)
    // IPv6 literals, through the parser, which writes them in lower case, without leading zeros, the first longest run of zeros as '::'.
    ['http://[::1]/x', { host: '[::1]', pathAndQuery: '/x' }],
    ['http://[0:0:0:0:0:0:0:1]:8080', { host: '[::1]', pathAndQuery: '/' }],
    ['https://[2001:DB8:0:0:1:0:0:1]/a?b#c', { host: '[2001:db8::1:0:0:1]', pathAndQuery: '/a?b' }],
    ['http://[::ffff:192.168.0.1]/', { host: '[::ffff:c0a8:1]', pathAndQuery: '/' }],
    ['http://[1::2:3:4:5:6:7]/', { host: '[1:0:2:3:4:5:6:7]', pathAndQuery: '/' }],
    ['http://[::1]@a.example/', { host: 'a.example', pathAndQuery: '/' }], // user info
    ['http://[::1::2]/', null],
    ['http://[::01.2.3.4]/', null],
    ['http://[12345::]/', null],
  ])('%s', (url, expected) => {
    expect(splitUrl(url)).toEqual(expected);
  });

  it('finds the host the WHATWG parser finds, in any case', () => {
    // Not punycode (`xn--`): the parser checks it and refuses what is not valid, the fast path does not
    // (a browser hands over only valid punycode, and an invalid one matches no catalog host).
    const name = fc.stringMatching(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?$/).filter((l) => !/^xn--/i.test(l));
    // Numbers too, in the forms the parser reads as IPv4 (octal, hex, out of range).
    const label = fc.oneof(name, fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('0', '00', '010', '0x7f', '0X10', '255', '256'));
    const scheme = fc.constantFrom('http', 'https', 'HTTP', 'HTTPS', 'Https', 'hTTp');
    const userInfo = fc.constantFrom('', '', '', 'user@', 'user:pw@', 'a@b@', ':@', '@', 'us%40er:p@ss@', 'a/b@', 'a\\b@', 'é@');
    fc.assert(
      fc.property(scheme, userInfo, fc.array(label, { minLength: 0, maxLength: 4 }), fc.option(fc.integer({ min: 1, max: 65535 })), fc.webPath(), (s, user, labels, port, path) => {
        const url = `${s}://${user}${labels.join('.')}${port === null ? '' : `:${port}`}${path}`;
        // None where the parser fails (`a.0` is no IPv4 address) or finds what is no host name
        // (`http:///~`: the parser skips the slashes and takes `~`).
        let hostname: string | undefined;
        try {
          hostname = normaliseHost(new URL(url).hostname) ?? undefined;
        } catch {
          hostname = undefined;
        }
        expect(splitUrl(url)?.host).toBe(hostname);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 3000) },
    );
  });
});

describe('cookies and hosting', () => {
  const matchCookie = createCookieMatcher();
  it.each([
    ['_ga', 'google-analytics'],
    ['_ga_MLB1234567', 'google-analytics'],
    ['_gcl_au', 'google-ads'],
    ['_gac_gb_GTM-MLB7Q2', 'google-ads'],
    ['FPGSID', 'google-analytics'],
    ['_fbp', 'meta-pixel'],
    ['_uetvid', 'microsoft-ads'],
    ['AWSALB', 'aws'],
    ['fr', null], // third-party cookie: never on the shop's domain
    ['session', null],
    ['__proto__', null],
    ['constructor', null],
  ])('cookie %s → %s', (name, entryId) => {
    expect(matchCookie(name)).toBe(entryId);
  });

  const detectHosting = createHostingDetector();
  it.each([
    [[{ name: 'X-Amz-Cf-Id', value: 'abc' }], 'aws'],
    [[{ name: 'via', value: '1.1 d1.cloudfront.net (CloudFront)' }], 'aws'],
    [[{ name: 'Server', value: 'AmazonS3' }], 'aws'],
    [[{ name: 'server', value: 'nginx' }, { name: 'via', value: '1.1 varnish' }], null],
    [[], null],
  ])('headers %j → %s', (headers, expected) => {
    expect(detectHosting(headers)).toBe(expected);
  });
});
