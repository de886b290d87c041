import * as z from 'zod/mini';
import { THIRD_PARTY_PURPOSES } from './third-parties';
import { AwsRegion, ConsentCategory, ENTRY_IDS, EntryId, LocalText, PROMISE_IDS, PromiseId, RequestKind } from './vocabulary';

export * from './vocabulary';

/**
 * The catalog is data: the shop's profile and one entry per processor or tracker that the
 * privacy policy (privacybeleid, 25 May 2018) names. Code asks the catalog; it never
 * hard-codes a host, a cookie name or a shop address.
 */

/** A host name (lower case, no scheme, no port, no trailing dot). */
const HostName = z
  .string()
  .check(z.regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/, 'a lower-case host name'));

/**
 * A host rule: requests to `host` or any subdomain of it belong to the entry. `path`, when
 * given, is a regular expression tested on the path and query only after the host matched
 * (the tds / trackerdb method: a hash lookup first, regexes only for a hit).
 */
export const HostRule = z.strictObject({
  /** One host, or the same rule for several (Google's country domains). */
  host: z.union([HostName, z.array(HostName).check(z.minLength(1))]),
  path: z.optional(z.string()),
  kind: RequestKind,
  /** A partner reached through this entry, as the policy puts it (PayPal through Adyen). */
  via: z.optional(z.string()),
  /**
   * network: seen by webRequest, so the host is in the manifest's host permissions.
   * page: seen only through the page's Resource Timing, because asking for the host
   * (all of google.com, paypal.com) would be a far broader permission than the catch is worth.
   */
  observeBy: z._default(z.enum(['network', 'page']), 'network'),
});
export type HostRule = z.infer<typeof HostRule>;

/**
 * A vendor's protocol, recognised on any host: how a hit looks, wherever it is sent. Server-side
 * tagging and Google's tag gateway send the vendors' own requests to the shop's own host names (or to
 * a tagging server elsewhere), where no host list can see them; their paths and parameters stay the
 * vendor's. Tested only on requests the host rules did not decide.
 */
export const ProtocolRule = z.strictObject({
  /** What the request is, in words ("GA4 measurement hit"). */
  name: z.string().check(z.minLength(1)),
  /** Regular expression on the path alone (no query), anchored at its end by the author. */
  path: z.string().check(z.minLength(2)),
  /** Query parameters that must be there, each with a regular expression its value must match. */
  params: z._default(z.record(z.string().check(z.minLength(1)), z.string().check(z.minLength(1))), {}),
  /** The parameters may come in the first line of a POST body instead (GA4 batches its events). */
  paramsInBody: z._default(z.boolean(), false),
  kind: RequestKind,
});
export type ProtocolRule = z.infer<typeof ProtocolRule>;

/** A response header that reveals the entry on the shop's own responses (AWS hosting). */
export const HeaderRule = z.strictObject({
  header: z.string().check(z.regex(/^[a-z0-9-]+$/, 'a lower-case header name')),
  /** Regular expression on the header's value; absent means "present at all". */
  value: z.optional(z.string()),
});

export const CookieRule = z.strictObject({
  name: z.string().check(z.minLength(1)),
  /** `prefix` for cookies whose name carries an id, such as `_ga_<measurement id>`. */
  match: z.enum(['exact', 'prefix']),
  /** first: set on the shop's own domain; third: set on the entry's own domain. */
  party: z.enum(['first', 'third']),
  purpose: LocalText,
  /** Holds a lasting id of the visitor: a rights request can quote it so the shop finds its data. */
  identifier: z._default(z.boolean(), false),
});
export type CookieRule = z.infer<typeof CookieRule>;

/** An entry as its data file writes it (lib/catalog/entries/). */
const CatalogEntryFile = z.strictObject({
  id: EntryId,
  /** The product as people know it: "Google Analytics". */
  product: z.string().check(z.minLength(1)),
  /** The legal entity that receives the data. */
  company: z.string().check(z.minLength(1)),
  /** How the policy itself names the company ("Ayden" for Adyen). */
  policyName: z.string().check(z.minLength(1)),
  /** processor: works on the shop's behalf; third-party: sets its own cookies for its own use too. */
  role: z.enum(['processor', 'third-party']),
  category: ConsentCategory,
  purpose: LocalText,
  /** The policy's own sentence (Dutch, verbatim) and our short English summary of it. */
  policy: z.strictObject({ quote: z.string().check(z.minLength(1)), summaryEn: z.string().check(z.minLength(1)) }),
  hosts: z.array(HostRule),
  protocols: z._default(z.array(ProtocolRule), []),
  /** Matched on responses from the shop's own domains only. */
  responseHeaders: z._default(z.array(HeaderRule), []),
  cookies: z.array(CookieRule),
  /**
   * The Google Consent Mode signal that governs the entry's storage: a request saying it is denied
   * is a cookieless ping, judged as a warning rather than a violation.
   */
  consentModeSignal: z.optional(z.enum(['analyticsStorage', 'adStorage'])),
  /** The policy's own promise of consent for this entry, where it makes one (Dutch, verbatim). */
  consentQuote: z.optional(z.string().check(z.minLength(1))),
  /**
   * The vendor's id on IAB Europe's Global Vendor List, where it has one: a TCF or GPP record then
   * judges the entry on its purposes AND on the customer's consent to this vendor.
   */
  gvlId: z.optional(z.int().check(z.positive())),
  /** Payment methods and other partners the policy says this entry handles. */
  partners: z._default(z.array(z.string()), []),
  note: z.optional(LocalText),
  /** Where the hosts, paths and cookies come from: vendor documentation first, then real captures. */
  sources: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
});

/**
 * An entry as the code reads it. Its `sources` are checked (every entry cites where its facts come
 * from) and then left out: they are for whoever keeps the catalog, nothing in the extension shows them,
 * and every woken worker and every page would parse them (1.3 kB of the zip).
 */
export const CatalogEntry = z.pipe(
  CatalogEntryFile,
  z.transform(({ sources: _sources, ...entry }) => entry),
);
export type CatalogEntry = z.infer<typeof CatalogEntry>;

const Email = z.email();

export const ShopProfile = z.strictObject({
  name: z.string().check(z.minLength(1)),
  /** Registrable domains of the shop; every subdomain belongs to the shop too. */
  domains: z.array(HostName).check(z.minLength(1)),
  /**
   * Where the shop's customers are (ISO 3166-1 codes): a Google Consent Mode default scoped to other
   * regions (`region: ['US']`) does not apply to them.
   */
  customerRegions: z.array(z.string().check(z.regex(/^[A-Z]{2}$/))).check(z.minLength(1)),
  controller: z.strictObject({
    name: z.string().check(z.minLength(1)),
    address: z.string().check(z.minLength(1)),
    country: z.string().check(z.length(2)),
    vatNumber: z.string().check(z.minLength(1)),
  }),
  contactEmail: Email,
  dataProtectionEmail: Email,
  privacyPolicy: z.strictObject({ url: z.url(), updated: z.iso.date() }),
  /** "Stuur me mijn persoonsgegevens toe": the shop's own form to ask for your data. */
  dataRequestPage: z.strictObject({
    url: z.url(),
    label: z.string().check(z.minLength(1)),
    emailFieldSelector: z.string().check(z.minLength(1)),
  }),
  supervisoryAuthority: z.strictObject({
    name: z.string().check(z.minLength(1)),
    address: z.string().check(z.minLength(1)),
    complaintUrl: z.url(),
  }),
  /** The policy's general promise: no passing on of data, for marketing among others, without consent. */
  consentPromise: z.string().check(z.minLength(1)),
  /** GDPR art. 12(3): answer within one month; the policy repeats it. */
  answerDeadlineMonths: z.int().check(z.positive()),
  /** The policy: invoices are kept up to five years by law, so erasure cannot cover them. */
  invoiceRetentionYears: z.int().check(z.positive()),
});
export type ShopProfile = z.infer<typeof ShopProfile>;

/** A request parameter a rule looks for; `name[*]` stands for every `name[…]` (Meta's `ud[em]`, `ud[ph]`). */
const ParamName = z.string().check(z.regex(/^[A-Za-z0-9_.-]+(\[\*\])?$/, 'a parameter name, or name[*]'));
const HeaderName = z.string().check(z.regex(/^[a-z0-9-]+$/, 'a lower-case header name'));

/**
 * How a promise is judged: the kind names one small pure rule in lib/promises/rules.ts, the rest is
 * what that rule looks for. A new promise of a known kind is data only.
 */
export const PromiseRule = z.discriminatedUnion('kind', [
  /** Broken when a hit of the entry carries any of these identifying parameters. */
  z.strictObject({ kind: z.literal('no-identifiers'), entry: EntryId, params: z.array(ParamName).check(z.minLength(1)) }),
  /** Broken when the entry receives an event not in `events`, or any of `personalParams`. */
  z.strictObject({ kind: z.literal('only-events'), entry: EntryId, eventParam: ParamName, events: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)), personalParams: z.array(ParamName) }),
  /** Broken when the entry's `hosts` receive an e-mail address or an order number before its category was granted. */
  z.strictObject({ kind: z.literal('data-only-with-consent'), entry: EntryId, hosts: z.array(HostName).check(z.minLength(1)), orderParams: z.array(ParamName).check(z.minLength(1)) }),
  /** Broken by any request or cookie before or against the customer's choice (lib/consent/judge.ts). */
  z.strictObject({ kind: z.literal('consent-verdicts') }),
  /** Broken by any request to these entries over plain http:. */
  z.strictObject({ kind: z.literal('encrypted'), entries: z.array(EntryId).check(z.minLength(1)) }),
  /** Where the entry stores data: an S3 bucket's region, from a response header or an S3 host name. */
  z.strictObject({
    kind: z.literal('storage-region'),
    entry: EntryId,
    regionHeader: HeaderName,
    /** A regular expression on a host name whose first group is the region. */
    bucketHost: z.string().check(z.minLength(2)),
    /** Where a CDN delivered the page from: context, never the place data is kept. */
    edgeHeader: HeaderName,
    /** Regions by code; any region not listed counts as outside the EU (say why in the data). */
    regions: z.record(AwsRegion, z.strictObject({ eu: z.boolean(), place: LocalText })),
  }),
  /** Broken when a third party the catalog does not name receives a request. */
  z.strictObject({ kind: z.literal('named-parties') }),
  /** Broken by a rights request past its deadline (the shop profile's `answerDeadlineMonths`) without an answer. */
  z.strictObject({ kind: z.literal('answer-deadline') }),
]);
export type PromiseRule = z.infer<typeof PromiseRule>;

/** One checkable promise of the privacy policy, in its own words. */
export const PolicyPromise = z.strictObject({
  id: PromiseId,
  /** Where the sentence stands in the policy, so a reader can find it. */
  section: z.string().check(z.minLength(1)),
  /** A short name for lists: "Google Analytics is anonymous". */
  title: LocalText,
  /** The policy's own sentence, Dutch and verbatim (a unit test finds it in the policy text). */
  quote: z.string().check(z.minLength(1)),
  /** Our English rendering of the sentence. */
  en: z.string().check(z.minLength(1)),
  rule: PromiseRule,
});
export type PolicyPromise = z.infer<typeof PolicyPromise>;

/**
 * Consent banners' own hosts. The policy names none of them, so they stay "not named", but the UI
 * says what they are: the banner is the one third party a customer expects to see.
 */
export const ConsentPlatform = z.strictObject({ name: z.string().check(z.minLength(1)), hosts: z.array(HostName).check(z.minLength(1)) });

export const Catalog = z
  .strictObject({
    version: z.string().check(z.minLength(1)),
    shop: ShopProfile,
    entries: z.array(CatalogEntry),
    consentPlatforms: z.array(ConsentPlatform),
    promises: z.array(PolicyPromise),
  })
  .check(z.superRefine((catalog, ctx) => {
    const ids = catalog.entries.map((e) => e.id);
    for (const id of ENTRY_IDS) {
      if (!ids.includes(id)) ctx.addIssue({ code: 'custom', message: `catalog lacks entry ${id}` });
    }
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'duplicate entry ids' });
    const compiles = (pattern: string) => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    };
    const promiseIds = catalog.promises.map((p) => p.id);
    for (const id of PROMISE_IDS) if (!promiseIds.includes(id)) ctx.addIssue({ code: 'custom', message: `catalog lacks promise ${id}` });
    if (new Set(promiseIds).size !== promiseIds.length) ctx.addIssue({ code: 'custom', message: 'duplicate promise ids' });
    for (const { id, rule } of catalog.promises) {
      const named = 'entry' in rule ? [rule.entry] : 'entries' in rule ? rule.entries : [];
      for (const entry of named) if (!ids.includes(entry)) ctx.addIssue({ code: 'custom', message: `promise ${id}: no entry ${entry}` });
      if (rule.kind === 'storage-region' && !compiles(rule.bucketHost)) ctx.addIssue({ code: 'custom', message: `promise ${id}: bad bucketHost pattern` });
    }
    for (const entry of catalog.entries) {
      for (const rule of entry.hosts) {
        if (rule.path !== undefined && !compiles(rule.path)) ctx.addIssue({ code: 'custom', message: `${entry.id}: bad path pattern ${rule.path}` });
      }
      for (const rule of entry.protocols) {
        for (const pattern of [rule.path, ...Object.values(rule.params)]) {
          if (!compiles(pattern)) ctx.addIssue({ code: 'custom', message: `${entry.id}: bad protocol pattern ${pattern}` });
        }
        if (!rule.path.endsWith('$')) ctx.addIssue({ code: 'custom', message: `${entry.id}: protocol path ${rule.path} must be anchored at its end` });
      }
    }
  }));
export type Catalog = z.infer<typeof Catalog>;

/**
 * The directory of third parties the policy does not name (third-parties.json; lib/catalog/third-parties.ts
 * names a host with it).
 */
export const ThirdPartyPurpose = z.enum(THIRD_PARTY_PURPOSES);

export const ThirdParty = z.strictObject({
  /** Stable: reports and tests refer to it. */
  id: z.string().check(z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case id')),
  /** The legal entity where known, else the name people know it by (a GDPR request goes to it). */
  company: z.string().check(z.minLength(1)),
  product: z.optional(z.string().check(z.minLength(1))),
  /** ISO 3166-1 alpha-2 code of the company's seat. */
  country: z.string().check(z.regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code')),
  purpose: ThirdPartyPurpose,
  /** The group that owns the company, where that is what people recognise (Alphabet, Meta). */
  parent: z.optional(z.string().check(z.minLength(1))),
  /**
   * A request host matches a suffix when it equals it or ends with "." + suffix. The catalog's own
   * host name rule, so that the catalog and the directory cannot drift apart.
   */
  hosts: z.array(HostName).check(z.minLength(1)),
});
export type ThirdParty = z.infer<typeof ThirdParty>;

/**
 * One answer per host: a suffix listed twice would let the Map keep whichever came last, and a
 * longer suffix of the same company inside a shorter one only hides the shorter one's entry.
 */
export const ThirdPartyDirectory = z.array(ThirdParty).check(z.superRefine((entries, ctx) => {
  const ids = new Set<string>();
  const owner = new Map<string, ThirdParty>();
  for (const entry of entries) {
    if (ids.has(entry.id)) ctx.addIssue({ code: 'custom', message: `duplicate id ${entry.id}` });
    ids.add(entry.id);
    for (const host of entry.hosts) {
      const other = owner.get(host);
      if (other) ctx.addIssue({ code: 'custom', message: `${host} is listed by both ${other.id} and ${entry.id}` });
      else owner.set(host, entry);
    }
  }
  for (const [host, entry] of owner) {
    for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
      const outer = owner.get(host.slice(dot + 1));
      if (outer && outer.company === entry.company) {
        ctx.addIssue({ code: 'custom', message: `${host} (${entry.id}) sits inside ${outer.id}'s ${host.slice(dot + 1)} of the same company` });
      }
    }
  }
}));
