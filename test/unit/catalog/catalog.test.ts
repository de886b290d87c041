import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENTRY_IDS, PROMISE_IDS, catalog, hostPermissions, ruleHosts, thirdParties } from '@/lib/catalog';
import { Catalog, ShopProfile } from '@/lib/catalog/schema';
import shop from '@/lib/catalog/shop.json';
import { SHOP_MATCHES, isShopUrl } from '@/lib/catalog/shop-domains';
import { EXPECTED_HOST_PERMISSIONS } from '../../fixtures/permissions';

/**
 * The catalog as its data files write it, each entry with the `sources` the parsed catalog leaves out:
 * what `Catalog` is given. The tests of what it rejects start from this, which it accepts.
 */
function catalogAsWritten() {
  const sourcesOf = (id: string) => (JSON.parse(readFileSync(new URL(`../../../lib/catalog/entries/${id}.json`, import.meta.url), 'utf8')) as { sources: string[] }).sources;
  return structuredClone({ ...catalog, entries: catalog.entries.map((entry) => ({ ...entry, sources: sourcesOf(entry.id) })) });
}

describe('catalog', () => {
  it('comes through JSON unchanged, as the extension build bundles it (checkedAtBuild in wxt.config.ts)', () => {
    // The build hands the bundles what the schemas made, as JSON: nothing they make may be lost in it
    // (a Date, a RegExp, a Map, an undefined key).
    expect(JSON.parse(JSON.stringify(catalog))).toStrictEqual(catalog);
    expect(JSON.parse(JSON.stringify(thirdParties))).toStrictEqual(thirdParties);
  });

  it('has exactly the entry ids other work relies on', () => {
    expect(catalog.entries.map((e) => e.id).sort()).toEqual([...ENTRY_IDS].sort());
  });

  it('carries the shop profile from the privacy policy', () => {
    expect(ShopProfile.parse(shop)).toBeTruthy();
    expect(catalog.shop.controller).toEqual({
      name: 'Mijn Liefste Boek ApS',
      address: 'Skejby Nordlandsvej 311, 8200 Aarhus, Denemarken',
      country: 'DK',
      vatNumber: 'DK36088966',
    });
    expect(catalog.shop.contactEmail).toBe('info@mijnliefsteboek.nl');
    expect(catalog.shop.dataProtectionEmail).toBe('dpo@mybestbook.com');
    expect(catalog.shop.dataRequestPage.label).toBe('Stuur me mijn persoonsgegevens toe');
    expect(catalog.shop.supervisoryAuthority.complaintUrl).toBe(
      'https://autoriteitpersoonsgegevens.nl/nl/zelf-doen/privacyrechten/klacht-indienen-bij-de-ap',
    );
    expect(catalog.shop.answerDeadlineMonths).toBe(1);
    expect(catalog.shop.invoiceRetentionYears).toBe(5);
  });

  it('detects AWS from the shop responses only, never from a cloudfront.net host list', () => {
    const aws = catalog.entries.find((e) => e.id === 'aws')!;
    expect(aws.hosts).toEqual([]);
    expect(aws.responseHeaders.map((h) => h.header)).toContain('x-amz-cf-id');
    const allHosts = catalog.entries.flatMap((e) => e.hosts.flatMap(ruleHosts));
    expect(allHosts.some((h) => h.endsWith('cloudfront.net') || h.endsWith('amazonaws.com'))).toBe(false);
  });

  it('names Adyen as the policy spells it and lists the payment methods it handles', () => {
    const adyen = catalog.entries.find((e) => e.id === 'adyen')!;
    expect(adyen.policyName).toBe('Ayden');
    expect(adyen.partners).toEqual(['PayPal', 'Visa', 'Mastercard', 'iDEAL', 'Bancontact']);
    expect(adyen.category).toBe('necessary');
  });

  it('quotes the policy verbatim for every entry', async () => {
    const { readFile } = await import('node:fs/promises');
    const policy = await readFile(new URL('../../../../shared/policy/privacybeleid.txt', import.meta.url), 'utf8').catch(() => null);
    if (policy === null) return; // the policy text lives beside the repository, in ../shared
    const flat = policy.replace(/\s+/g, ' ');
    for (const entry of catalog.entries) expect(flat, entry.id).toContain(entry.policy.quote);
  });

  it('quotes the policy verbatim for every promise, one promise per id, each with our English rendering', async () => {
    const { readFile } = await import('node:fs/promises');
    const policy = await readFile(new URL('../../../../shared/policy/privacybeleid.txt', import.meta.url), 'utf8').catch(() => null);
    expect(catalog.promises.map((p) => p.id)).toEqual([...PROMISE_IDS]);
    for (const promise of catalog.promises) {
      expect(promise.en, promise.id).not.toBe(promise.quote);
      expect(promise.title.nl, promise.id).not.toBe(promise.title.en);
    }
    if (policy === null) return; // the policy text lives beside the repository, in ../shared
    const flat = policy.replace(/\s+/g, ' ');
    for (const promise of catalog.promises) expect(flat, promise.id).toContain(promise.quote);
  });

  it('rejects promises that are missing, doubled, or point at an entry or pattern that does not exist', () => {
    const written = catalogAsWritten();
    expect(Catalog.safeParse({ ...written, promises: written.promises.slice(1) }).success).toBe(false);
    expect(Catalog.safeParse({ ...written, promises: [...written.promises, written.promises[0]] }).success).toBe(false);
    const wrongEntry = catalogAsWritten();
    wrongEntry.promises[0]!.rule = { kind: 'no-identifiers', entry: 'hotjar' as never, params: ['cid'] };
    expect(Catalog.safeParse(wrongEntry).success).toBe(false);
    const badPattern = catalogAsWritten();
    const aws = badPattern.promises.find((p) => p.rule.kind === 'storage-region')!;
    if (aws.rule.kind === 'storage-region') aws.rule.bucketHost = '(unclosed';
    expect(Catalog.safeParse(badPattern).success).toBe(false);
    const badRegion = catalogAsWritten() as unknown as { promises: { rule: { regions?: Record<string, unknown> } }[] };
    badRegion.promises.find((p) => p.rule.regions)!.rule.regions!['Frankfurt'] = { eu: true, place: { nl: 'x', en: 'y' } };
    expect(Catalog.safeParse(badRegion).success).toBe(false);
  });

  it('checks that every entry cites its sources, and leaves them out of what the code reads', () => {
    expect(Catalog.safeParse(catalogAsWritten()).success).toBe(true);
    expect(catalog.entries.every((entry) => !('sources' in entry))).toBe(true);
    const uncited = catalogAsWritten() as { entries: { sources?: string[] }[] };
    delete uncited.entries[2]!.sources;
    expect(Catalog.safeParse(uncited).success).toBe(false);
    const empty = catalogAsWritten();
    empty.entries[2]!.sources = [];
    expect(Catalog.safeParse(empty).success).toBe(false);
  });

  it('rejects a catalog with a missing entry, a duplicate or a broken path pattern', () => {
    const written = catalogAsWritten();
    const missing = { ...written, entries: written.entries.slice(1) };
    expect(Catalog.safeParse(missing).success).toBe(false);
    const duplicate = { ...written, entries: [...written.entries, written.entries[0]] };
    expect(Catalog.safeParse(duplicate).success).toBe(false);
    const broken = catalogAsWritten();
    broken.entries[1]!.hosts[0]!.path = '(unclosed';
    expect(Catalog.safeParse(broken).success).toBe(false);
  });

  it('asks only for the shop and the network-observed catalog hosts', () => {
    expect(hostPermissions()).toEqual(EXPECTED_HOST_PERMISSIONS);
  });

  it.each([
    ['https://www.mijnliefsteboek.nl/', true],
    ['http://mijnliefsteboek.nl/boeken?x=1', true],
    ['https://WWW.MIJNLIEFSTEBOEK.NL./', true],
    ['https://mijnliefsteboek.nl.evil.example/', false],
    ['https://notmijnliefsteboek.nl/', false],
    ['chrome://extensions', false],
    ['not a url', false],
    [undefined, false],
  ])('isShopUrl(%s) = %s', (url, expected) => {
    expect(isShopUrl(url)).toBe(expected);
    expect(SHOP_MATCHES).toEqual(['*://*.mijnliefsteboek.nl/*']);
  });
});
