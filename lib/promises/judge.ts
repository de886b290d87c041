import { catalog as defaultCatalog, type Catalog, type EntryId, type RequestKind } from '../catalog';
import type { JudgedRequest, VisitJudgement } from '../consent/judge';
import type { PromiseCheck } from './facts';
import type { LeftOutGroup } from './left-out';
import { RULES, type PromiseInput, type RightsDigest } from './rules';
import type { RequestSignals } from './signals';
import { compareText } from '../order';

/**
 * What a visit recorded that the promises are judged by, in the shape the live tab state and the
 * log share: the requests (in the order the consent judge saw them), plain-http requests, storage
 * sightings and the hosts the policy does not name.
 */
export interface PromiseSource {
  requests: (JudgedRequest & RequestSignals & { kind?: RequestKind })[];
  /** Requests the visit let go of to stay bounded, counted by what the rules read (lib/promises/left-out.ts). */
  leftOutRequests?: LeftOutGroup[];
  plain: { entryId: EntryId; host: string }[];
  plainLeftOut: number;
  storage: PromiseInput['storage'];
  unlisted: Record<string, number>;
  unlistedOverflow: number;
}

/** The promises' input from a visit and its consent judgement (`judgeVisit` of the same requests). */
export function promiseInput(source: PromiseSource, judgement: VisitJudgement, context: { rights: RightsDigest[] | null; now: number; watched: boolean }): PromiseInput {
  return {
    requests: [
      ...source.requests.map((request, i) => ({ ...request, verdict: judgement.requestVerdicts[i] ?? null })),
      // Not judged for consent: the judge saw only the kept requests.
      ...(source.leftOutRequests ?? []).map(({ count, ...group }) => ({ ...group, at: null, verdict: null, count })),
    ],
    trackers: Object.fromEntries(Object.values(judgement.entries).map((e) => [e!.entryId, e!.verdict])),
    consentSource: judgement.consentNow?.source ?? null,
    plain: source.plain,
    plainMore: source.plainLeftOut,
    storage: source.storage,
    unlisted: {
      hosts: Object.entries(source.unlisted)
        .sort(([a, x], [b, y]) => y - x || compareText(a, b))
        .map(([host]) => host),
      overflow: source.unlistedOverflow,
      watched: context.watched,
    },
    rights: context.rights,
    now: context.now,
  };
}

/** Every promise of the policy judged on one visit, in the policy's order. Pure. */
export function judgePromises(input: PromiseInput, catalog: Catalog = defaultCatalog): PromiseCheck[] {
  return catalog.promises.map(({ id, rule }) => ({ id, ...(RULES[rule.kind] as (r: typeof rule, i: PromiseInput, c: Catalog) => Omit<PromiseCheck, 'id'>)(rule, input, catalog) }));
}

/** Each promise's status on a visit: what the history lists and filters by. */
export function promiseStatuses(checks: readonly PromiseCheck[]): Partial<Record<PromiseCheck['id'], PromiseCheck['status']>> {
  return Object.fromEntries(checks.map((check) => [check.id, check.status]));
}
