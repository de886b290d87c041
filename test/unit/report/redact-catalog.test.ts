import fc from 'fast-check';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { catalog, ruleHosts, type CookieRule, type EntryId } from '@/lib/catalog';
import { openLog, type CookieSeen, type Observation } from '@/lib/db';
import { exportVisits } from '@/lib/history';
import { addObservations } from '../db/log-rows';

/**
 * A support bundle with redaction on must carry none of the visitor ids the catalog knows of,
 * wherever a tracker put them: in a query string, in a path, in the fragment, URL-encoded or not,
 * in the page's own address. The values follow each cookie's real format.
 */

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n }).filter((s) => s[0] !== '0');
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
/** Random ids in base64 mix upper case, lower case and digits (a run of one kind is a word, not an id). */
const mixed = (s: string) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s);
const base64 = (min: number, max: number) => fc.base64String({ minLength: min, maxLength: max }).filter((s) => s.replace(/=+$/, '').length >= min && mixed(s));
const base64url = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: min, maxLength: max }).filter(mixed);
const seconds = digits(10);
const millis = digits(13);

/**
 * A realistic value per catalog cookie (by name or prefix), or null for the ones that hold no id
 * (throttles, a test cookie). A cookie added to the catalog without a line here fails the test.
 */
const COOKIE_VALUES: Record<string, fc.Arbitrary<string> | null> = {
  // Google Analytics: client id, GA4 session (GS2 format), 24-hour id, server-set id, legacy __utma.
  _ga: fc.tuple(digits(10), seconds).map(([id, at]) => `GA1.1.${id}.${at}`),
  _ga_: fc.tuple(seconds, seconds).map(([s, t]) => `GS2.1.s${s}$o3$g1$t${t}$j60$l0$h0`),
  _gid: fc.tuple(digits(9), seconds).map(([id, at]) => `GA1.1.${id}.${at}`),
  FPID: fc.tuple(base64url(40, 60), seconds).map(([id, at]) => `FPID2.2.${id}%3D.${at}`),
  // The server-set linker that carries FPID across domains: a short-lived, URL-encoded base64 id.
  FPLC: base64url(60, 90).map((id) => `${id}%3D%3D`),
  // The tagging server's session: `1.<start>.<last>.G-<measurement id>.<hash>`.
  FPGSID: fc.tuple(seconds, seconds, base64url(22, 22)).map(([start, last, hash]) => `1.${start}.${last}.G-MLB1234567.${hash}`),
  __utm: fc.tuple(digits(9), digits(10), seconds).map(([a, b, at]) => `${a}.${b}.${at}.${at}.${at}.3`),
  _gat: null,
  _dc_gtm_: null,
  // Google Ads: conversion linker (au and aw forms), DoubleClick's IDE.
  _gcl_: fc.oneof(
    fc.tuple(digits(10), seconds).map(([id, at]) => `1.1.${id}.${at}`),
    fc.tuple(seconds, base64url(60, 90)).map(([at, gclid]) => `GCL.${at}.${gclid}`),
  ),
  // The tagging server's own copies: FPAU like _gcl_au, FPGCLAW (`2.1.k<gclid>$i<time>`).
  FPAU: fc.tuple(digits(10), seconds).map(([id, at]) => `1.2.${id}.${at}`),
  FPGCL: fc.tuple(base64url(60, 90), seconds).map(([gclid, at]) => `2.1.k${gclid}$i${at}`),
  // What Analytics keeps of an ad click for Google Ads: `1.<time>.<gclid>`.
  _gac_: fc.tuple(seconds, base64url(60, 90)).map(([at, gclid]) => `1.${at}.${gclid}`),
  IDE: base64url(60, 80),
  test_cookie: null,
  // Meta: browser id, click id, its own ad cookie.
  _fbp: fc.tuple(millis, digits(10)).map(([at, id]) => `fb.1.${at}.${id}`),
  _fbc: fc.tuple(millis, base64url(50, 70)).map(([at, fbclid]) => `fb.1.${at}.IwAR${fbclid}`),
  // `0<id>..<6-character time>.AAA.0.0.<time>.AWV<id>`
  fr: fc.tuple(base64url(20, 30), base64url(6, 6), base64url(8, 8)).map(([id, at, tail]) => `0${id}..${at}.AAA.0.0.${at}.AWV${tail}`),
  // Microsoft Advertising: session, visitor, click id, MUID.
  _uetsid: hex(32),
  _uetvid: hex(32),
  _uetmsclkid: hex(32).map((id) => `_uet${id}`),
  MUID: hex(32).map((id) => id.toUpperCase()),
  // Adyen's risk id (a UUID), AWS's load-balancer stickiness (base64).
  _rp_uid: fc.uuid(),
  AWSALB: base64(120, 140),
  AWSALBCORS: base64(120, 140),
};

const CATALOG_COOKIES: { entryId: EntryId; rule: CookieRule }[] = catalog.entries.flatMap((entry) => entry.cookies.map((rule) => ({ entryId: entry.id, rule })));

/** A cookie name the rule matches: the prefix rules get a realistic suffix. */
const cookieName = (rule: CookieRule) => (rule.match === 'exact' ? rule.name : `${rule.name}${rule.name === '_ga_' ? 'MLB1234567' : rule.name === '_gcl_' ? 'au' : rule.name === '__utm' ? 'a' : rule.name === 'FPGCL' ? 'AW' : rule.name === '_gac_' ? 'gb_GTM-MLB7Q2' : 'UA_1'}`);

/**
 * The parts of a value that would identify someone: digit runs of 5 or more, runs of 8 or more
 * with a digit in them, any run of 16 or more. (A 6-character piece such as `fr`'s time is not.)
 */
function identifyingParts(value: string): string[] {
  const runs = [...decodeURIComponent(value).matchAll(/[0-9]{5,}|[A-Za-z0-9_-]{8,}/g)].map((m) => m[0]);
  return [...new Set(runs.filter((part) => /^[0-9]+$/.test(part) || /[0-9]/.test(part) || part.length >= 16))];
}

/** Every place a tracker puts a cookie's value in the URLs a visit logs. */
function urlsCarrying(name: string, value: string, host: string): string[] {
  const encoded = encodeURIComponent(value);
  return [
    `https://${host}/collect?v=2&cid=${encoded}&${encodeURIComponent(name)}=${encoded}`,
    `https://${host}/tr/?id=1234567890123456&ev=PageView&fbp=${encoded}&ud[external_id]=${encoded}`,
    `https://${host}/collect/${encoded}/pixel.gif`,
    `https://${host}/u/${value.replace(/[/?#]/g, '_')}?x=1`,
    `https://${host}/sync#${encoded}`,
  ];
}

describe('support bundle redaction against every identifier the catalog knows', () => {
  it('has a realistic value for every cookie in the catalog', () => {
    expect(CATALOG_COOKIES.map(({ rule }) => rule.name).filter((name) => !(name in COOKIE_VALUES))).toEqual([]);
    // Every cookie the catalog calls an identifier has a value to test.
    expect(CATALOG_COOKIES.filter(({ rule }) => rule.identifier && COOKIE_VALUES[rule.name] === null)).toEqual([]);
  });

  it('leaves none of their values in a redacted bundle, wherever the trackers sent them', async () => {
    const identifying = CATALOG_COOKIES.filter(({ rule }) => COOKIE_VALUES[rule.name]);
    const values = fc.tuple(...identifying.map(({ rule }) => COOKIE_VALUES[rule.name]!));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(values, async (generated) => {
        const db = openLog(`redact-${run++}`, { indexedDB: new IDBFactory(), IDBKeyRange });
        const visitId = 'v1';
        const at = Date.parse('2026-11-25T10:00:00Z');
        const observations: Observation[] = [];
        const cookies: CookieSeen[] = [];
        const pageValues: string[] = [];
        identifying.forEach(({ entryId, rule }, i) => {
          const name = cookieName(rule);
          const value = generated[i]!;
          // AWS has no host of its own: its cookies travel to the shop.
          const firstRule = catalog.entries.find((e) => e.id === entryId)!.hosts[0];
          const host = firstRule ? ruleHosts(firstRule)[0]! : 'mijnliefsteboek.nl';
          cookies.push({ id: `${visitId}|${name}`, visitId, entryId, name, domain: 'mijnliefsteboek.nl', value, at, change: 'present' });
          urlsCarrying(name, value, `www.${host}`).forEach((url, j) =>
            observations.push({ id: `${visitId}:r${i}-${j}`, visitId, at: at + i * 10 + j, entryId, host, url, kind: 'hit', type: 'image', method: 'GET', status: 200, frameId: 0, source: 'network' }),
          );
          pageValues.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
        });
        // The shop's own address with ids in it too (a landing page with click ids, an order page).
        const first = generated[0]!;
        const url = `https://www.mijnliefsteboek.nl/bestelling/${encodeURIComponent(first)}?${pageValues.join('&')}#${encodeURIComponent(first)}`;
        await db.visits.put({ id: visitId, tabId: 3, url, startedAt: at });
        await addObservations(db, observations);
        await db.cookies.bulkPut(cookies);

        const report = await exportVisits(db, [(await db.visits.get(visitId))!], { stance: null, redact: true, tool: { name: 'privacy-lens', version: '0.1.0' } });
        const text = JSON.stringify(report, null, 2);
        db.close();
        expect(report.redacted).toBe(true);
        expect(report.pages[0]!.observations).toHaveLength(observations.length);
        for (const [i, value] of generated.entries()) {
          const name = cookieName(identifying[i]!.rule);
          expect(text, `${name}=${value}`).not.toContain(value);
          expect(text, `${name}=${value}`).not.toContain(encodeURIComponent(value));
          for (const part of identifyingParts(value)) expect(text, `${name}=${value}: ${part}`).not.toContain(part);
        }
      }),
      { numRuns: 25, endOnFailure: true },
    );
  }, 60_000);
});
