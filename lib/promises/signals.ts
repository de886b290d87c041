import { catalog as defaultCatalog, type Catalog, type EntryId, type PolicyPromise, type PromiseRule } from '../catalog';
import { AwsRegion } from '../catalog/vocabulary';
import { queryPairs } from '../classify/query';
import type { PersonalDataHit } from '../consent/personal-data';

/** What the pipeline keeps of one request for the promises' rules: names and an event, never values. */
export interface RequestSignals {
  /**
   * The watched parameters the request carried, by name (`cid`, `ud[em]`, `referenceId`); `email`
   * stands for an e-mail address found anywhere in a request the rule watches for one.
   */
  carried?: string[];
  /** The event the request reported (Meta's `ev`): `PageView`, `AddToCart`, … */
  event?: string;
}

export const MAX_CARRIED = 10;
const MAX_NAME = 64;
/** Longer bodies are cut before parsing: the parameters the rules look for come first. */
const MAX_SCANNED = 65_536;
/** Event names as vendors define them; anything else (a value a shop stuffed into it) is not kept. */
const EVENT_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const EDGE = /^[A-Za-z0-9-]{2,32}$/;
export const EMAIL_MARK = 'email';

type Rule<K extends PromiseRule['kind']> = Extract<PromiseRule, { kind: K }>;

interface EntryWatch {
  params: ((name: string) => boolean)[];
  eventParam: string | null;
  /** Only requests to these hosts are watched for an e-mail address and these parameters. */
  invitation: { hosts: string[]; params: ((name: string) => boolean)[] } | null;
}

/** `name` or, for `name[*]`, every `name[…]`. */
function paramMatcher(pattern: string): (name: string) => boolean {
  if (!pattern.endsWith('[*]')) return (name) => name === pattern;
  const prefix = pattern.slice(0, -2);
  return (name) => name.startsWith(prefix) && name.endsWith(']') && name.length > prefix.length + 1;
}

const ruleOf = <K extends PromiseRule['kind']>(promises: PolicyPromise[], kind: K): Rule<K>[] => promises.flatMap((p) => (p.rule.kind === kind ? [p.rule as Rule<K>] : []));

/**
 * What the promises' rules need from each request and response, read by the observer as requests
 * pass: which identifying parameters a hit carried, which event it reported, and where the shop's
 * storage is. Built from the promises' data (lib/catalog/promises.json), so a new rule's parameters
 * are recorded without touching the observer.
 */
export function createPromiseSignals(catalog: Catalog = defaultCatalog) {
  const watches = new Map<EntryId, EntryWatch>();
  const watch = (entry: EntryId) => {
    let found = watches.get(entry);
    if (!found) watches.set(entry, (found = { params: [], eventParam: null, invitation: null }));
    return found;
  };
  for (const rule of ruleOf(catalog.promises, 'no-identifiers')) watch(rule.entry).params.push(...rule.params.map(paramMatcher));
  for (const rule of ruleOf(catalog.promises, 'only-events')) {
    const found = watch(rule.entry);
    found.eventParam = rule.eventParam;
    found.params.push(...rule.personalParams.map(paramMatcher));
  }
  for (const rule of ruleOf(catalog.promises, 'data-only-with-consent')) watch(rule.entry).invitation = { hosts: rule.hosts, params: rule.orderParams.map(paramMatcher) };
  const storage = ruleOf(catalog.promises, 'storage-region')[0] ?? null;
  const bucketHost = storage ? new RegExp(storage.bucketHost) : null;

  function requestSignals(entryId: EntryId, host: string, url: string, body: string | undefined, personalData: readonly PersonalDataHit[]): RequestSignals {
    const found = watches.get(entryId);
    if (!found) return {};
    const invitation = found.invitation && found.invitation.hosts.some((h) => host === h || host.endsWith(`.${h}`)) ? found.invitation : null;
    const wanted = invitation ? [...found.params, ...invitation.params] : found.params;
    if (wanted.length === 0 && !found.eventParam && !invitation) return {};
    const carried: string[] = [];
    let event: string | undefined;
    for (const [name, value] of requestParams(url, body)) {
      if (found.eventParam === name && event === undefined && value !== '') event = EVENT_NAME.test(value) ? value : 'other';
      if (value !== '' && wanted.some((matches) => matches(name)) && !carried.includes(name) && carried.length < MAX_CARRIED) carried.push(name.slice(0, MAX_NAME));
    }
    if (invitation && personalData.some((hit) => hit.kind === 'email' || hit.kind === 'hashed-email') && carried.length < MAX_CARRIED) carried.push(EMAIL_MARK);
    return { ...(carried.length ? { carried } : {}), ...(event ? { event } : {}) };
  }

  /** The bucket's region S3 names in its response, and the CloudFront edge that delivered it (context only). */
  function storageFromHeaders(headers: readonly { name: string; value?: string }[]): { region: string | null; edge: string | null } {
    if (!storage) return { region: null, edge: null };
    let region: string | null = null;
    let edge: string | null = null;
    for (const { name, value = '' } of headers) {
      const lower = name.toLowerCase();
      const trimmed = value.trim().toLowerCase();
      if (lower === storage.regionHeader && AwsRegion.safeParse(trimmed).success) region = trimmed;
      else if (lower === storage.edgeHeader && EDGE.test(value.trim())) edge = value.trim();
    }
    return { region, edge };
  }

  /** The region in an S3 host name (`<bucket>.s3.<region>.amazonaws.com`), if the host is one. */
  function storageFromHost(host: string): string | null {
    const region = bucketHost?.exec(host)?.[1] ?? null;
    return region !== null && AwsRegion.safeParse(region).success ? region : null;
  }

  return { requestSignals, storageFromHeaders, storageFromHost };
}
export type PromiseSignals = ReturnType<typeof createPromiseSignals>;

let shared: PromiseSignals | undefined;
/** The signals of the bundled catalog, built on first use. */
export function promiseSignals(): PromiseSignals {
  return (shared ??= createPromiseSignals());
}

/**
 * Every parameter of a request, in order: its query, then its body as the trackers send it (query
 * lines, one per batched event, or a JSON object's top-level fields).
 */
export function* requestParams(url: string, body: string | undefined): Generator<[string, string]> {
  const query = url.indexOf('?');
  if (query >= 0) {
    const hash = url.indexOf('#', query);
    yield* searchParams(url.slice(query + 1, hash >= 0 ? hash : query + 1 + MAX_SCANNED));
  }
  if (!body) return;
  const text = body.slice(0, MAX_SCANNED);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      return;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return;
    for (const [name, value] of Object.entries(json)) if (typeof value === 'string' || typeof value === 'number') yield [name, String(value)];
    return;
  }
  for (const line of text.split('\n')) yield* searchParams(line);
}

function* searchParams(text: string): Generator<[string, string]> {
  for (const [name, value] of queryPairs(text)) yield [name, value.trim()];
}
