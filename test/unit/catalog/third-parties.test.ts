import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalog, consentPlatformOf, nameThirdParty, thirdParties } from '@/lib/catalog';
import rawDirectory from '@/lib/catalog/third-parties.json';
import {
  THIRD_PARTY_PURPOSES,
  THIRD_PARTY_PURPOSE_LABELS,
  countryName,
  createThirdPartyNamer,
  describeThirdParty,
  type ThirdParty,
} from '@/lib/catalog/third-parties';
import { ThirdPartyDirectory } from '@/lib/catalog/schema';
import { createClassifier } from '@/lib/classify';

const here = dirname(fileURLToPath(import.meta.url));
const entriesDir = join(here, '../../../lib/catalog/entries');

/** Every host rule of the catalog, read from the data files themselves (a rule may list several hosts). */
const catalogRules: { host: string; path?: string }[] = readdirSync(entriesDir)
  .filter((file) => file.endsWith('.json'))
  .flatMap((file) => (JSON.parse(readFileSync(join(entriesDir, file), 'utf8')) as { hosts: { host: string | string[]; path?: string }[] }).hosts)
  .flatMap((rule) => (Array.isArray(rule.host) ? rule.host : [rule.host]).map((host) => ({ host, path: rule.path })));

/** Hosts the shop's own catalog classifies before the directory is asked (the brief's list). */
const CATALOG_HOSTS = [
  'google-analytics.com',
  'analytics.google.com',
  'googletagmanager.com',
  'googleadservices.com',
  'doubleclick.net',
  'google.com',
  'google.nl',
  'facebook.com',
  'facebook.net',
  'bat.bing.com',
  'bat.bing.net',
  'c.bing.com',
  'bat.r.msn.com',
  'trustpilot.com',
  'trustpilot.net',
  'adyen.com',
  'paypal.com',
  'paypalobjects.com',
  'mijnliefsteboek.nl',
];

const allSuffixes = thirdParties.flatMap((party) => party.hosts.map((host) => ({ host, party })));
const byId = (id: string) => thirdParties.find((party) => party.id === id)!;

describe('third-party directory: the data', () => {
  it('parses, and is big enough to name what Dutch and Danish shops load', () => {
    expect(ThirdPartyDirectory.safeParse(rawDirectory).success).toBe(true);
    expect(thirdParties.length).toBeGreaterThanOrEqual(160);
  });

  it('has unique ids and lists each host suffix once', () => {
    const ids = thirdParties.map((party) => party.id);
    expect(new Set(ids).size).toBe(ids.length);
    const hosts = allSuffixes.map(({ host }) => host);
    expect(hosts.filter((host, i) => hosts.indexOf(host) !== i)).toEqual([]);
  });

  it('nests a suffix inside another only for a different company', () => {
    const owner = new Map(allSuffixes.map(({ host, party }) => [host, party]));
    const sameCompany = allSuffixes.flatMap(({ host, party }) =>
      [...owner].filter(([outer, other]) => host.endsWith(`.${outer}`) && other.company === party.company).map(([outer]) => `${host} in ${outer}`),
    );
    expect(sameCompany).toEqual([]);
  });

  it('holds no host the catalog classifies first', () => {
    const catalogHosts = new Set([...CATALOG_HOSTS, ...catalogRules.map((rule) => rule.host), ...catalog.shop.domains]);
    expect(catalogHosts.size).toBeGreaterThan(CATALOG_HOSTS.length - 1);
    for (const host of catalogHosts) {
      expect(allSuffixes.filter((s) => s.host === host).map((s) => s.party.id), host).toEqual([]);
      // Nor a parent suffix that would also swallow the catalog's host.
      expect(nameThirdParty(host), host).toBeNull();
    }
    // Below a catalog host only where the catalog claims nothing but certain paths (pay.google.com).
    const catchAll = new Set(catalogRules.filter((rule) => rule.path === undefined).map((rule) => rule.host));
    const shadowed = allSuffixes.filter(({ host }) => [...catchAll].some((outer) => host.endsWith(`.${outer}`)));
    expect(shadowed.map(({ host }) => host)).toEqual([]);
  });

  it('is reached for every one of its hosts: the classifier leaves each unlisted', () => {
    const classifier = createClassifier(catalog);
    const claimed = allSuffixes.filter(({ host }) => classifier.classifyUrl(`https://${host}/`).party !== 'unlisted');
    expect(claimed.map(({ host }) => host)).toEqual([]);
  });

  it('names the consent banners the catalog already knows as consent platforms', () => {
    for (const platform of catalog.consentPlatforms) {
      for (const host of platform.hosts) {
        const party = nameThirdParty(host);
        expect(party?.purpose, host).toBe('consent');
        expect(`${party?.product} ${party?.company}`, host).toContain(platform.name);
        expect(consentPlatformOf(host)).toBe(platform.name);
      }
    }
  });

  it('names Google and Meta for the hosts the policy does not name them for', () => {
    for (const host of ['fonts.googleapis.com', 'fonts.gstatic.com', 'www.youtube.com', 'www.youtube-nocookie.com', 'i.ytimg.com', 'rr1---sn-5hne6nzk.googlevideo.com', 'maps.googleapis.com', 'maps.gstatic.com', 'www.recaptcha.net', 'www.gstatic.com', 'pay.google.com', 'ajax.googleapis.com', 'apis.google.com']) {
      expect(nameThirdParty(host)?.parent, host).toBe('Alphabet');
    }
    for (const host of ['www.instagram.com', 'scontent-ams2-1.cdninstagram.com', 'wa.me', 'static.whatsapp.net']) {
      expect(nameThirdParty(host)?.parent, host).toBe('Meta');
    }
  });

  it('uses every purpose, and labels each in Dutch and English', () => {
    expect(Object.keys(THIRD_PARTY_PURPOSE_LABELS).sort()).toEqual([...THIRD_PARTY_PURPOSES].sort());
    for (const purpose of THIRD_PARTY_PURPOSES) {
      const label = THIRD_PARTY_PURPOSE_LABELS[purpose];
      expect(label.nl.trim().length, purpose).toBeGreaterThan(0);
      expect(label.en.trim().length, purpose).toBeGreaterThan(0);
      expect(thirdParties.some((party) => party.purpose === purpose), `${purpose} is used`).toBe(true);
    }
  });

  it('has a country name in both languages for every country it uses', () => {
    for (const code of new Set(thirdParties.map((party) => party.country))) {
      for (const language of ['nl', 'en'] as const) expect(countryName(code, language), `${code} ${language}`).not.toBe(code);
    }
  });
});

describe('third-party directory: the schema refuses', () => {
  const good = { id: 'example', company: 'Example B.V.', country: 'NL', purpose: 'analytics', hosts: ['example.net'] };
  it.each([
    ['a duplicate host', [good, { ...good, id: 'other' }]],
    ['a duplicate id', [good, { ...good, hosts: ['example.org'] }]],
    ['a same-company suffix inside another', [good, { ...good, id: 'inner', hosts: ['cdn.example.net'] }]],
    ['an upper-case host', [{ ...good, hosts: ['Example.net'] }]],
    ['a trailing dot', [{ ...good, hosts: ['example.net.'] }]],
    ['a URL for a host', [{ ...good, hosts: ['https://example.net/'] }]],
    ['a path in a host', [{ ...good, hosts: ['www.gstatic.com/recaptcha'] }]],
    ['a lower-case country', [{ ...good, country: 'nl' }]],
    ['a country name', [{ ...good, country: 'Netherlands' }]],
    ['an unknown purpose', [{ ...good, purpose: 'marketing' }]],
    ['no hosts', [{ ...good, hosts: [] }]],
    ['an unknown key', [{ ...good, website: 'https://example.net' }]],
    ['a non-kebab id', [{ ...good, id: 'Example_Net' }]],
  ])('%s', (_, input) => {
    expect(ThirdPartyDirectory.safeParse(input).success).toBe(false);
  });

  it('but accepts a different company inside another one', () => {
    const inner = { ...good, id: 'inner', company: 'Other Ltd', hosts: ['cdn.example.net'] };
    expect(ThirdPartyDirectory.safeParse([good, inner]).success).toBe(true);
    const name = createThirdPartyNamer(ThirdPartyDirectory.parse([good, inner]));
    expect(name('a.cdn.example.net')?.id).toBe('inner');
    expect(name('www.example.net')?.id).toBe('example');
  });
});

describe('nameThirdParty', () => {
  // The namer takes hosts as the classifier hands them over: lower case, no trailing dot, no port.
  it.each([
    ['script.hotjar.com', 'hotjar'],
    ['static.hotjar.com', 'hotjar'],
    ['hotjar.com', 'hotjar'],
    ['ws.hotjar.io', 'hotjar'],
    ['www.clarity.ms', 'microsoft-clarity'],
    ['fonts.googleapis.com', 'google-fonts'],
    ['fonts.gstatic.com', 'google-static'],
    ['maps.googleapis.com', 'google-maps'],
    ['cdn.jsdelivr.net', 'jsdelivr'],
    ['cdnjs.cloudflare.com', 'cdnjs'],
    ['challenges.cloudflare.com', 'cloudflare-turnstile'],
    ['static.cloudflareinsights.com', 'cloudflare-web-analytics'],
    ['js.stripe.com', 'stripe'],
    ['m.stripe.network', 'stripe'],
    ['js.mollie.com', 'mollie'],
    ['x.klarnacdn.net', 'klarna'],
    ['static.klaviyo.com', 'klaviyo'],
    ['consent.cookiebot.com', 'cookiebot'],
    ['cdn.cookielaw.org', 'onetrust'],
    ['analytics.tiktok.com', 'tiktok'],
    ['s.pinimg.com', 'pinterest'],
    ['ct.pinterest.com', 'pinterest'],
    ['snap.licdn.com', 'linkedin'],
    ['static.ads-twitter.com', 'x-twitter'],
    ['tr.snapchat.com', 'snapchat'],
    ['cdn.shopify.com', 'shopify'],
    ['static.criteo.net', 'criteo'],
    ['www.dwin1.com', 'awin'],
    ['tc.tradetracker.net', 'tradetracker'],
    ['cdn.leadinfo.net', 'leadinfo'],
    ['cdn.clerk.io', 'clerk-io'],
    ['gateway.tweakwisenavigator.com', 'tweakwise'],
    ['servicepoints.sendcloud.sc', 'sendcloud'],
    ['www.kiyoh.com', 'kiyoh'],
    ['widgets.trustedshops.com', 'trusted-shops'],
    ['dashboard.webwinkelkeur.nl', 'webwinkelkeur'],
    ['policy.app.cookieinformation.com', 'cookie-information'],
    ['player.vimeo.com', 'vimeo'],
    ['api.mapbox.com', 'mapbox'],
    ['js.hcaptcha.com', 'hcaptcha'],
    ['o123456.ingest.sentry.io', 'sentry'],
    ['bam.eu01.nr-data.net', 'new-relic'],
    ['accounts.google.com', 'sign-in-with-google'],
    // The catalog's own (classified before the directory is asked).
    ['connect.facebook.net', null],
    ['www.googletagmanager.com', null],
    ['www.google.com', null],
    ['widget.trustpilot.com', null],
    // Not a third party we know, or not one at all.
    ['www.example.org', null],
    ['www.cloudflare.com', null],
    ['googleapis.com', null],
    ['translate.googleapis.com', null],
    // Suffixes match on label boundaries only.
    ['evilhotjar.com', null],
    ['nothotjar.com', null],
    ['hotjar.com.evil.example', null],
    ['hotjar', null],
    ['com', null],
    ['', null],
  ])('%s → %s', (host, id) => {
    expect(nameThirdParty(host)?.id ?? null).toBe(id);
  });

  it('gives the same answer as a scan for the longest matching suffix, for any host', () => {
    const suffixes = allSuffixes.map(({ host }) => host);
    const label = fc.stringMatching(/^[a-z0-9-]{1,8}$/);
    const host = fc.oneof(
      fc.tuple(fc.array(label, { maxLength: 3 }), fc.constantFrom(...suffixes)).map(([labels, suffix]) => [...labels, suffix].join('.')),
      fc.tuple(label, fc.constantFrom(...suffixes)).map(([prefix, suffix]) => prefix + suffix),
      fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
    );
    const name = createThirdPartyNamer(thirdParties);
    fc.assert(
      fc.property(host, (h) => {
        const scan = allSuffixes
          .filter((s) => h === s.host || h.endsWith(`.${s.host}`))
          .sort((a, b) => b.host.length - a.host.length)[0];
        expect(name(h)).toBe(scan?.party ?? null);
      }),
    );
  });

  it('refuses to build a namer over a host listed twice', () => {
    const party: ThirdParty = { id: 'a', company: 'A', country: 'NL', purpose: 'cdn', hosts: ['a.example'] };
    expect(() => createThirdPartyNamer([party, { ...party, id: 'b' }])).toThrow(/a\.example/);
  });
});

describe('describeThirdParty', () => {
  it.each([
    ['hotjar', 'en', 'Hotjar Ltd (Malta), session recording'],
    ['hotjar', 'nl', 'Hotjar Ltd (Malta), sessie-opnames'],
    ['youtube', 'en', 'YouTube – Google Ireland Limited (Ireland), video'],
    ['youtube', 'nl', "YouTube – Google Ireland Limited (Ierland), video's"],
    ['mouseflow', 'nl', 'Mouseflow ApS (Denemarken), sessie-opnames'],
    ['klaviyo', 'nl', 'Klaviyo, Inc. (Verenigde Staten), e-mailmarketing'],
    ['feefo', 'en', 'Feefo (United Kingdom), reviews and trust marks'],
  ] as const)('%s in %s', (id, language, expected) => {
    expect(describeThirdParty(byId(id), language)).toBe(expected);
  });

  it('gives one line, in the asked language, for every entry', () => {
    for (const party of thirdParties) {
      const nl = describeThirdParty(party, 'nl');
      const en = describeThirdParty(party, 'en');
      expect(nl).toContain(party.company);
      expect(nl.endsWith(THIRD_PARTY_PURPOSE_LABELS[party.purpose].nl)).toBe(true);
      expect(en.endsWith(THIRD_PARTY_PURPOSE_LABELS[party.purpose].en)).toBe(true);
      expect(nl).not.toMatch(/\n/);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Cross-check against Ghostery's trackerdb (a dev dependency under CC BY-NC-SA: read here to catch
// a typo'd company, never copied into the directory).

interface TrackerDb {
  organizations: Record<string, { name: string }>;
  patterns: Record<string, { name: string; organization: string | null }>;
  domains: Record<string, string>;
}

/** Legal forms and filler that say nothing about who a company is. */
const FILLER = new Set(
  'inc ltd limited llc gmbh ag sa sas se bv b v nv ab publ as a s aps oy ou sl srl s r o sro spa pty plc co corp corporation company unlimited group holding holdings international technologies technology software systems the and of europe ireland emea platforms services solutions labs com io net'.split(
    ' ',
  ),
);

function nameTokens(...names: (string | null | undefined)[]): string[] {
  return names
    .filter((name): name is string => !!name)
    .flatMap((name) => name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/[^a-z0-9]+/))
    .filter((token) => token.length >= 3 && !FILLER.has(token));
}

/** Loose: one meaningful word in common, or one name's word inside the other's squashed name. */
function organisationsAgree(ours: string[], theirs: string[]): boolean {
  const squashedOurs = ours.join('');
  const squashedTheirs = theirs.join('');
  return ours.some((token) => theirs.includes(token) || (token.length >= 4 && squashedTheirs.includes(token))) || theirs.some((token) => token.length >= 4 && squashedOurs.includes(token));
}

describe('cross-check with @ghostery/trackerdb', () => {
  it('agrees on the organisation for most hosts both know', () => {
    const require = createRequire(import.meta.url);
    // The package exports only its code: find its JSON beside the entry point.
    const dbPath = join(dirname(require.resolve('@ghostery/trackerdb')), '../trackerdb.json');
    const db = JSON.parse(readFileSync(dbPath, 'utf8')) as TrackerDb;

    const known: { host: string; party: ThirdParty; org: string }[] = [];
    for (const { host, party } of allSuffixes) {
      for (let suffix: string | null = host; suffix; suffix = suffix.includes('.') ? suffix.slice(suffix.indexOf('.') + 1) : null) {
        const patternId = db.domains[suffix];
        if (patternId === undefined) continue;
        const pattern = db.patterns[patternId];
        const org = (pattern?.organization && db.organizations[pattern.organization]?.name) || pattern?.name || patternId;
        known.push({ host, party, org });
        break;
      }
    }
    // Our company and parent against their organisation: the product name would hide a wrong company.
    const squash = (name?: string) => name?.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const disagreements = known.filter(
      ({ party, org }) =>
        // A whole name in common first: "X Corp." has no word long enough for the token test.
        ![party.company, party.parent].some((name) => squash(name) === squash(org)) &&
        !organisationsAgree(nameTokens(party.company, party.parent), nameTokens(org)),
    );
    const agreeing = known.length - disagreements.length;
    const share = known.length === 0 ? 0 : agreeing / known.length;
    console.log(
      [
        `trackerdb knows ${known.length} of our ${allSuffixes.length} host suffixes; the organisation agrees for ${agreeing} (${(share * 100).toFixed(0)}%).`,
        `Disagreements (${disagreements.length}), for a human to judge:`,
        ...disagreements.map(({ host, party, org }) => `  ${host}: ours "${party.company}"${party.parent ? ` (${party.parent})` : ''}, trackerdb "${org}"`),
      ].join('\n'),
    );
    expect(known.length).toBeGreaterThan(50);
    expect(share).toBeGreaterThanOrEqual(0.6);
  });
});
