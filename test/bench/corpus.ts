/**
 * A deterministic corpus of realistic URLs as a shop page requests them: the shop's own pages and
 * assets, the catalog's trackers with their real query strings, third parties the policy does not
 * name, and odd or hostile URLs. Seeded, so every run measures the same URLs.
 *
 * `relays` adds what a shop with server-side tagging sends (the fixture shop's set-up): the vendors'
 * own requests to the shop's hosts (server-side GTM, Google's tag gateway, Meta's gateway) and to a
 * tagging server elsewhere, and shop URLs that only look like them. Only the vendors' protocols
 * recognise these, so a corpus without them never times that part of the classifier.
 */
export function buildCorpus(size: number, seed = 20261125, { relays = false }: { relays?: boolean } = {}): string[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T,>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const id = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const makers: [number, () => string][] = [
    [20, () => `https://www.mijnliefsteboek.nl/${pick(['', 'boeken/', 'checkout', 'over/privacybeleid', 'static/app.', 'img/cover-'])}${id(8)}${pick(['', '.js', '.css', '.jpg'])}`],
    [12, () => `https://region1.google-analytics.com/g/collect?v=2&tid=G-MLB1234567&gtm=45je5b10v9&gcs=G1${pick(['00', '01', '11'])}&gcd=13${pick(['p3p3p3p5', 'r3r3r3r5'])}&cid=${Math.floor(random() * 1e9)}.${1764000000 + Math.floor(random() * 1e6)}&ul=nl-nl&sr=1280x720&en=page_view&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F&_s=${Math.floor(random() * 20)}`],
    [6, () => `https://www.googletagmanager.com/${pick(['gtm.js?id=GTM-MLB7Q2', 'gtag/js?id=G-MLB1234567', 'gtag/destination?id=AW-987654321'])}`],
    [6, () => `https://googleads.g.doubleclick.net/pagead/viewthroughconversion/987654321/?random=${Math.floor(random() * 1e12)}&cv=11&fst=${Date.now()}&bg=ffffff&guid=ON&async=1&gtm=45je5b10&gcs=G111&u_w=1280&u_h=720&label=mlbConv1`],
    [4, () => `https://www.googleadservices.com/pagead/conversion_async.js`],
    [8, () => `https://www.facebook.com/tr/?id=1234567890123456&ev=${pick(['PageView', 'AddToCart', 'InitiateCheckout', 'Purchase'])}&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F&rl=&if=false&ts=${Date.now()}&sw=1280&sh=720&v=2.9.174&r=stable&ec=0&o=4126&fbp=fb.1.${Date.now()}.${Math.floor(random() * 1e10)}&it=${Date.now()}&coo=false&rqm=GET`],
    [4, () => `https://connect.facebook.net/${pick(['nl_NL/fbevents.js', 'signals/config/1234567890123456?v=2.9.174&r=stable'])}`],
    [6, () => `https://bat.bing.com/${pick(['bat.js', `action/0?ti=187654321&tm=gtm002&Ver=2&mid=${id(32)}&sid=${id(8)}&vid=${id(32)}&vids=1&msclkid=N&evt=pageLoad&sv=1&asc=G&p=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F&lt=${Date.now()}&lg=nl-NL&sw=1280&sh=720&sc=24&nwd=1&rn=${Math.floor(random() * 1e6)}`])}`],
    [4, () => `https://widget.trustpilot.com/${pick(['bootstrap/v5/tp.widget.bootstrap.min.js', 'trustboxes/53aa8807dec7e10d38f59f32/index.html?templateId=53aa8807dec7e10d38f59f32&businessunitId=5c1b2d3e4f5a6b7c8d9e0f1a'])}`],
    [3, () => `https://checkoutshopper-live.adyen.com/checkoutshopper/${pick(['sdk/5.68.0/adyen.js', 'sdk/5.68.0/adyen.css', 'v3/analytics?clientKey=live_MLBXXXXXXXXXXXXXXXXXXXXXXXXXXX'])}`],
    [15, () => `https://${pick(['static.hotjar.com', 'script.hotjar.com', 'fonts.googleapis.com', 'fonts.gstatic.com', 'cdn.jsdelivr.net', 'www.clarity.ms', 'policy.app.cookieinformation.com', 'js.hs-scripts.com', `d${id(12)}.cloudfront.net`, 'api.segment.io'])}/${id(6)}/${id(10)}.js?v=${Math.floor(random() * 100)}`],
    [4, () => `https://${pick(['www.google.com/pagead/1p-conversion/987654321/', 'www.google.com/search', 'www.google.nl/pagead/1p-user-list/987654321/', 'www.paypal.com/checkoutnow'])}?token=${id(16)}`],
    [8, () =>
      pick([
        `https://google-analytics.com.evil.example/g/collect?v=2`,
        `https://xgoogle-analytics.com/collect`,
        `HTTPS://WWW.GOOGLE-ANALYTICS.COM/G/COLLECT?V=2`,
        `https://www.facebook.com./tr/?id=1`,
        `https://bat.bing.com:443/action/0?ti=1`,
        `http://127.0.0.1:8080/collect`,
        `http://[::1]/x`,
        `data:image/gif;base64,R0lGODlhAQABAAAAACw=`,
        `blob:https://www.mijnliefsteboek.nl/${id(8)}-${id(4)}`,
        `https://xn--gogle-analytics-ssb.com/collect`,
        `https://user:pw@connect.facebook.net/nl_NL/fbevents.js`,
        `https://www.mijnliefsteboek.nl/${'a'.repeat(2000)}`,
      ]),
    ],
  ];
  if (relays) {
    makers.push([
      4,
      () =>
        pick([
          `https://sst.mijnliefsteboek.nl/g/collect?v=2&tid=G-MLB1234567&gtm=45je5b10v9&gcs=G1${pick(['00', '11'])}&gcd=13p3p3p3p5&cid=${Math.floor(random() * 1e9)}.${1764000000 + Math.floor(random() * 1e6)}&ul=nl-nl&en=page_view&_s=${Math.floor(random() * 20)}`,
          `https://sst.mijnliefsteboek.nl/gtm.js?id=GTM-MLB7Q2`,
          `https://www.mijnliefsteboek.nl/metrics/gtag/js?id=G-MLB1234567`,
          `https://www.mijnliefsteboek.nl/metrics/g/collect?v=2&tid=G-MLB1234567&cid=${Math.floor(random() * 1e9)}.${1764000000 + Math.floor(random() * 1e6)}&en=page_view`,
          `https://capig.mijnliefsteboek.nl/tr/?id=1234567890123456&ev=${pick(['PageView', 'AddToCart', 'Purchase'])}&dl=https%3A%2F%2Fwww.mijnliefsteboek.nl%2F&fbp=fb.1.${Date.now()}.${Math.floor(random() * 1e10)}`,
          `https://data.mijnliefsteboek.nl/action/0?ti=187654321&Ver=2&evt=pageLoad&mid=${id(32)}`,
          `https://sgtm-${id(6)}.ew.r.appspot.com/g/collect?v=2&tid=G-MLB1234567&cid=${Math.floor(random() * 1e9)}.${1764000000 + Math.floor(random() * 1e6)}&en=page_view`,
          `https://www.mijnliefsteboek.nl/tr?lang=nl`,
          `https://www.mijnliefsteboek.nl/g/collect?v=1&tid=UA-1-1`,
        ]),
    ]);
  }
  const total = makers.reduce((sum, [weight]) => sum + weight, 0);
  const urls: string[] = [];
  while (urls.length < size) {
    let roll = random() * total;
    for (const [weight, make] of makers) {
      roll -= weight;
      if (roll <= 0) {
        urls.push(make());
        break;
      }
    }
  }
  return urls;
}
