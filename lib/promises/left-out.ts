import * as z from 'zod/mini';
import { ENTRY_IDS, EntryId, RequestKind } from '../catalog/vocabulary';
import { PersonalDataHit } from '../consent/personal-data';
import { MAX_CARRIED } from './signals';

/**
 * Kinds of left-out request a visit tells apart. A flood of one tracker's hits is one kind, or a few.
 * Past this many, a request joins a group of its tracker, kind and event (see foldLeftOut); past
 * MAX_STORED_GROUPS, any group of its tracker.
 */
export const MAX_LEFT_OUT_GROUPS = 100;
export const MAX_STORED_GROUPS = MAX_LEFT_OUT_GROUPS + 50;

/**
 * Requests a tab let go of to stay bounded (lib/observe/tab-state.ts, MAX_JUDGED_REQUESTS), counted by
 * what the promises' rules read of them: the tracker, the kind of request, the watched parameters it
 * carried, the personal data found in it, the event it reported, and whether it was stopped before it
 * was sent. So "all 600 hits" means all 600, not the 500 the tab kept. What the consent judge gives a
 * request (its verdict) is not kept: it depends on the whole visit, so a rule that needs it reads a
 * left-out request as not judged.
 */
export const LeftOutGroup = z.lazy(() => z.strictObject({
  entryId: EntryId,
  kind: z.optional(RequestKind),
  carried: z.optional(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(MAX_CARRIED))),
  event: z.optional(z.string().check(z.maxLength(64))),
  personalData: z.array(PersonalDataHit).check(z.maxLength(10)),
  /** Stopped before they were sent: never received (see RequestRecord.stopped). */
  stopped: z.optional(z.literal(true)),
  count: z.int().check(z.positive()),
}));
export type LeftOutGroup = z.infer<typeof LeftOutGroup>;

/** What a request carries that the groups tell apart; the same fields as a kept request's. */
export interface LeftOutRequest {
  entryId: EntryId;
  kind?: RequestKind;
  carried?: string[];
  event?: string;
  personalData: readonly PersonalDataHit[];
  stopped?: true;
}

const sameNames = (a: readonly string[] = [], b: readonly string[] = []) => a.length === b.length && a.every((name) => b.includes(name));
const sameData = (a: readonly PersonalDataHit[], b: readonly PersonalDataHit[]) =>
  a.length === b.length && a.every((hit) => b.some((other) => other.kind === hit.kind && other.where === hit.where));
const same = (g: LeftOutGroup, r: LeftOutRequest) =>
  g.entryId === r.entryId && g.kind === r.kind && g.event === r.event && g.stopped === r.stopped && sameNames(g.carried, r.carried) && sameData(g.personalData, r.personalData);

/** What tells a group apart, as one string: its fields, the lists in a fixed order (most have none). */
function signature(r: LeftOutRequest): string {
  let key = `${r.entryId}\u0001${r.kind ?? ''}\u0001${r.event ?? ''}\u0001${r.stopped ? '1' : ''}`;
  const carried = r.carried ?? [];
  if (carried.length) key += `\u0002${carried.length === 1 ? carried[0] : [...carried].sort().join('\u0000')}`;
  if (r.personalData.length) key += `\u0003${r.personalData.map((h) => `${h.kind}:${h.where}`).sort().join('\u0000')}`;
  return key;
}

/**
 * Each list of groups' index by signature, built on first use (a state read back from storage is a new
 * list): a page that never stops lets a request go with each new one, and a scan of a hundred groups for
 * each cost about a microsecond per request in the bench's hot path.
 */
const indexes = new WeakMap<LeftOutGroup[], Map<string, LeftOutGroup>>();
function indexOf(groups: LeftOutGroup[]): Map<string, LeftOutGroup> {
  let index = indexes.get(groups);
  if (!index) indexes.set(groups, (index = new Map(groups.map((g) => [signature(g), g]))));
  return index;
}

/**
 * Counts a request the tab let go of into `groups` (in place), with the requests that carried the same.
 * Past MAX_LEFT_OUT_GROUPS kinds, it joins a group of its tracker, kind and event, which then holds the
 * union of what its requests carried (bounded): a rule may count such a group's every request as
 * carrying a parameter that only some did, but never misses one that did. Past MAX_STORED_GROUPS (a
 * page that reports events with names without end), it joins any group of its tracker and its event
 * is no longer told apart. Either way the count of requests stays exact.
 */
export function foldLeftOut(groups: LeftOutGroup[], request: LeftOutRequest): void {
  const index = indexOf(groups);
  const key = signature(request);
  const found = index.get(key);
  if (found && same(found, request)) {
    found.count++;
    return;
  }
  const alike = (g: LeftOutGroup) => g.entryId === request.entryId && g.kind === request.kind && g.event === request.event && g.stopped === request.stopped;
  const merged =
    groups.length < MAX_LEFT_OUT_GROUPS ? undefined
    : groups.length < MAX_STORED_GROUPS ? groups.find(alike)
    : (groups.find(alike) ?? groups.find((g) => g.entryId === request.entryId && g.stopped === request.stopped) ?? groups.find((g) => g.entryId === request.entryId));
  if (!merged) {
    const group: LeftOutGroup = {
      entryId: request.entryId,
      ...(request.kind ? { kind: request.kind } : {}),
      ...(request.carried?.length ? { carried: [...request.carried] } : {}),
      ...(request.event ? { event: request.event } : {}),
      personalData: request.personalData.map((hit) => ({ ...hit })),
      ...(request.stopped ? { stopped: true as const } : {}),
      count: 1,
    };
    groups.push(group);
    index.set(key, group);
    return;
  }
  merged.count++;
  index.delete(signature(merged));
  for (const name of request.carried ?? []) {
    if (merged.carried?.includes(name)) continue;
    if ((merged.carried ??= []).length < MAX_CARRIED) merged.carried.push(name);
  }
  for (const hit of request.personalData) {
    if (merged.personalData.length < 10 && !merged.personalData.some((h) => h.kind === hit.kind && h.where === hit.where)) merged.personalData.push({ ...hit });
  }
  index.set(signature(merged), merged);
}

/**
 * A request counted into `groups` before its end said it was stopped (a tab lets go of requests in
 * flight on a busy page): moved from the group that counted it to one of stopped requests. It is found
 * by what it carried; if its group was merged past the bound (and so no longer matches), it stays where
 * it was.
 */
export function markLeftOutStopped(groups: LeftOutGroup[], request: LeftOutRequest): void {
  const received = { ...request, stopped: undefined };
  const index = indexOf(groups);
  const key = signature(received);
  const group = index.get(key);
  if (!group || !same(group, received)) return;
  if (--group.count === 0) {
    groups.splice(groups.indexOf(group), 1);
    index.delete(key);
  }
  foldLeftOut(groups, { ...request, stopped: true });
}

/** The groups as a tab state saves them: past MAX_STORED_GROUPS, a tracker with none yet still gets one. */
export const LeftOutGroups = z.lazy(() => z.array(LeftOutGroup).check(z.maxLength(MAX_STORED_GROUPS + ENTRY_IDS.length)));

/** Requests the groups count, in all. */
export const leftOutCount = (groups: readonly LeftOutGroup[]) => groups.reduce((sum, g) => sum + g.count, 0);
