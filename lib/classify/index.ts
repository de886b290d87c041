import { readQuery, type QueryParams } from './query';
import { cutUrl, normaliseHost, pathOf, splitUrl, type UrlCut } from './url';
import { catalog as defaultCatalog, ruleHosts, type Catalog, type EntryId, type RequestKind } from '../catalog';

/** What a URL is, seen from a page of the shop. */
export type UrlClass =
  | { party: 'shop'; host: string }
  | {
      party: 'listed';
      host: string;
      entryId: EntryId;
      kind: RequestKind;
      via?: string;
      observeBy: 'network' | 'page';
      /**
       * Recognised by the vendor's protocol on a host that is not the vendor's: `shop` for the shop's
       * own servers (server-side tagging, Google's tag gateway), `other` for a tagging server elsewhere.
       */
      relay?: 'shop' | 'other';
    }
  | { party: 'unlisted'; host: string }
  /** data:, blob:, about:, chrome-extension:, or not a URL at all. */
  | { party: 'not-web' };

interface CompiledRule {
  entryId: EntryId;
  kind: RequestKind;
  via?: string;
  observeBy: 'network' | 'page';
  path: RegExp | null;
}

/** A catalog host or one of the shop's domains, as the classifier looks it up. */
interface HostKey {
  name: string;
  shop: boolean;
  /** Path rules first, a catch-all last; empty for the shop's domains. */
  rules: CompiledRule[];
  /**
   * The next shorter key this one ends in, label by label (`doubleclick.net` under
   * `stats.g.doubleclick.net`): where a look-up goes on when none of this key's rules takes the path.
   */
  parent: HostKey | null;
}

interface CompiledProtocol {
  entryId: EntryId;
  kind: RequestKind;
  path: RegExp;
  params: [name: string, value: RegExp][];
  paramsInBody: boolean;
}

export interface Classifier {
  /** `body`: a request body as text, for protocols that may carry their parameters there. */
  classifyUrl(url: string, body?: string): UrlClass;
  isShopHost(host: string): boolean;
}

const NOT_WEB: UrlClass = { party: 'not-web' };
/** Longer URLs are not worth a regex run: no tracker hit we know is this long. */
const MAX_PATH_TESTED = 8192;
const testedPath = (pathAndQuery: string) => (pathAndQuery.length > MAX_PATH_TESTED ? pathAndQuery.slice(0, MAX_PATH_TESTED) : pathAndQuery);

/**
 * Hostname → catalog entry by walking the host's suffixes through a hash table (DuckDuckGo's tds and
 * Ghostery's trackerdb method; see HostTable): a few look-ups per URL, never a scan over every rule.
 * Path rules run only after a host hit, and only on that host's rules.
 */
export function createClassifier(catalog: Catalog = defaultCatalog): Classifier {
  const keys = new Map<string, HostKey>();
  for (const domain of catalog.shop.domains) keys.set(domain, { name: domain, shop: true, rules: [], parent: null });
  for (const entry of catalog.entries) {
    for (const rule of entry.hosts) {
      for (const host of ruleHosts(rule)) {
        let key = keys.get(host);
        if (!key) keys.set(host, (key = { name: host, shop: false, rules: [], parent: null }));
        if (key.shop) throw new Error(`catalog host ${host} is the shop's own`);
        key.rules.push({
          entryId: entry.id,
          kind: rule.kind,
          via: rule.via,
          observeBy: rule.observeBy,
          path: rule.path === undefined ? null : new RegExp(rule.path, 'i'),
        });
      }
    }
  }
  const protocols: CompiledProtocol[] = catalog.entries.flatMap((entry) =>
    entry.protocols.map((rule) => ({
      entryId: entry.id,
      kind: rule.kind,
      path: new RegExp(rule.path),
      params: Object.entries(rule.params).map(([name, value]) => [name, new RegExp(value)] as [string, RegExp]),
      paramsInBody: rule.paramsInBody,
    })),
  );
  // One test of every protocol's path at once: almost every URL fails it, and only a URL that passes
  // pays for finding which protocol it was and for reading its parameters.
  const anyProtocolPath = protocols.length ? new RegExp(protocols.map((p) => `(?:${p.path.source})`).join('|')) : null;

  /** The protocol a request on a host the host rules did not decide speaks, if any. */
  function protocolOf(pathAndQuery: string, body: string | undefined): CompiledProtocol | null {
    if (anyProtocolPath === null || pathAndQuery.length > MAX_PATH_TESTED) return null;
    const query = pathAndQuery.indexOf('?');
    const path = query >= 0 ? pathAndQuery.slice(0, query) : pathAndQuery;
    if (!anyProtocolPath.test(path)) return null;
    let params: QueryParams | undefined;
    let bodyParams: QueryParams | undefined;
    for (const protocol of protocols) {
      if (!protocol.path.test(path)) continue;
      if (protocol.params.length === 0) return protocol;
      params ??= readQuery(query >= 0 ? pathAndQuery.slice(query + 1) : '');
      if (paramsMatch(protocol, params, null)) return protocol;
      if (!protocol.paramsInBody || !body) continue;
      // GA4 sends several events in one POST: the parameters they share can come in its first line.
      bodyParams ??= readQuery(body.slice(0, Math.min(body.length, 4096)).split('\n', 1)[0]!);
      if (paramsMatch(protocol, params, bodyParams)) return protocol;
    }
    return null;
  }
  // A catch-all rule must not shadow a path rule listed after it.
  for (const key of keys.values()) key.rules.sort((a, b) => Number(a.path === null) - Number(b.path === null));
  for (const key of keys.values()) {
    for (let dot = key.name.indexOf('.'); dot >= 0 && !key.parent; dot = key.name.indexOf('.', dot + 1)) key.parent = keys.get(key.name.slice(dot + 1)) ?? null;
  }
  const table = new HostTable([...keys.values()]);

  /**
   * The shop, or the first rule of the longest key the host ends in that takes the path, and so on
   * down. The path is read only for a rule that tests it.
   */
  function lookup(host: string, cut: UrlCut | null): UrlClass | null {
    let tested: string | undefined;
    for (let key = table.longestSuffix(host); key; key = key.parent) {
      if (key.shop) return { party: 'shop', host };
      for (const rule of key.rules) {
        if (rule.path !== null) tested ??= cut ? testedPath(pathOf(cut)) : '/';
        if (rule.path === null || rule.path.test(tested!)) {
          return { party: 'listed', host, entryId: rule.entryId, kind: rule.kind, via: rule.via, observeBy: rule.observeBy };
        }
      }
    }
    return null;
  }

  function classifyUrl(url: string, body?: string): UrlClass {
    const cut = cutUrl(url);
    if (!cut) return NOT_WEB;
    const hit = lookup(cut.host, cut);
    if (hit?.party === 'listed') return hit;
    const host = cut.host;
    const protocol = protocolOf(pathOf(cut), body);
    if (protocol) {
      // The shop's own hosts are in the host permissions, so webRequest sees them; a tagging server
      // elsewhere is seen only through the page's Resource Timing.
      const relay = hit ? 'shop' : 'other';
      return { party: 'listed', host, entryId: protocol.entryId, kind: protocol.kind, observeBy: relay === 'shop' ? 'network' : 'page', relay };
    }
    if (hit) return hit;
    return { party: 'unlisted', host };
  }

  function isShopHost(host: string): boolean {
    const normal = normaliseHost(host);
    return normal !== null && lookup(normal, null)?.party === 'shop';
  }

  return { classifyUrl, isShopHost };
}

/**
 * The host keys by a signature of their names: length, first character and last two. A host's
 * suffixes (the whole host, then what follows each dot) are tried from the longest; a suffix whose
 * signature no key has, most of them, costs a few character reads and one slot of a small array, not
 * the slice and the string hash of a Map look-up (60-80 ns each between other engines' calls).
 * A signature that matches is confirmed by comparing the names.
 */
class HostTable {
  /** Slot → the signature of the key there; 0 where the slot is empty. A miss reads nothing else. */
  private readonly signatures: Int32Array;
  private readonly keys: (HostKey | undefined)[];
  private readonly mask: number;
  private readonly shift: number;

  constructor(keys: HostKey[]) {
    let bits = 4;
    while (1 << bits < keys.length * 4) bits++; // a quarter full at most: a miss ends at its first slot
    this.signatures = new Int32Array(1 << bits);
    this.keys = new Array<HostKey | undefined>(1 << bits).fill(undefined);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    for (const key of keys) {
      const signature = signatureOf(key.name.length, key.name.charCodeAt(0), endOf(key.name));
      let slot = this.slotOf(signature);
      while (this.signatures[slot] !== 0) slot = (slot + 1) & this.mask;
      this.signatures[slot] = signature;
      this.keys[slot] = key;
    }
  }

  /** The longest key that `host` is or ends in after a dot, or null. */
  longestSuffix(host: string): HostKey | null {
    const end = endOf(host);
    for (let start = 0; ; ) {
      const signature = signatureOf(host.length - start, host.charCodeAt(start), end);
      for (let slot = this.slotOf(signature); this.signatures[slot] !== 0; slot = (slot + 1) & this.mask) {
        if (this.signatures[slot] !== signature) continue;
        const key = this.keys[slot]!;
        if (key.name.length === host.length - start && host.endsWith(key.name)) return key;
      }
      const dot = host.indexOf('.', start);
      if (dot < 0) return null;
      start = dot + 1;
    }
  }

  /** The top bits of the signature times 2^32 / φ (Fibonacci hashing). */
  private slotOf(signature: number): number {
    return Math.imul(signature, 0x9e3779b1) >>> this.shift;
  }
}

/** A name's last two characters, which all its suffixes share. */
const endOf = (name: string) => (name.charCodeAt(name.length - 1) << 7) | name.charCodeAt(name.length - 2);

/** Equal names, equal signatures; never 0, the empty slot's mark (bit 29 is always set). */
const signatureOf = (length: number, first: number, end: number) => (length & 0xff) | ((first & 0x7f) << 8) | ((end & 0x3fff) << 15) | (1 << 29);

/** Whether every parameter the protocol names has a value it accepts, from the query or else the body. */
function paramsMatch(protocol: CompiledProtocol, query: QueryParams, body: QueryParams | null): boolean {
  for (const [name, value] of protocol.params) {
    if (!value.test(query.get(name) ?? body?.get(name) ?? '')) return false;
  }
  return true;
}


let shared: Classifier | undefined;
/** The classifier over the bundled catalog, built on first use. */
export function classifier(): Classifier {
  return (shared ??= createClassifier());
}

/** The catalog entry that sets a cookie of this name on the shop's domain, if any. */
export function createCookieMatcher(catalog: Catalog = defaultCatalog): (name: string) => EntryId | null {
  const exact = new Map<string, EntryId>();
  const prefixes: [string, EntryId][] = [];
  for (const entry of catalog.entries) {
    for (const cookie of entry.cookies) {
      if (cookie.party !== 'first') continue;
      if (cookie.match === 'exact') exact.set(cookie.name, entry.id);
      else prefixes.push([cookie.name, entry.id]);
    }
  }
  return (name) => exact.get(name) ?? prefixes.find(([prefix]) => name.startsWith(prefix))?.[1] ?? null;
}

/** Whether a response's headers show one of the catalog's hosting entries (AWS CloudFront or S3). */
export function createHostingDetector(catalog: Catalog = defaultCatalog): (headers: { name: string; value?: string }[]) => EntryId | null {
  const rules = catalog.entries.flatMap((entry) =>
    entry.responseHeaders.map((rule) => ({ entryId: entry.id, header: rule.header, value: rule.value ? new RegExp(rule.value, 'i') : null })),
  );
  return (headers) => {
    for (const { name, value } of headers) {
      const lower = name.toLowerCase();
      for (const rule of rules) {
        if (rule.header === lower && (rule.value === null || rule.value.test(value ?? ''))) return rule.entryId;
      }
    }
    return null;
  };
}

export { splitUrl };
