import type { RequestKind } from '../catalog';
import type { UrlClass } from '../classify';
import type { Observation } from '../db/schema';
import type { RequestRecord } from './tab-state';

/** Where an observation comes from, with what that source knows of the request. */
export type SeenRequest =
  | { source: 'network'; requestId: string; at: number; url: string; type: string; method: string; frameId: number; status?: number; error?: string; initiator?: string; worker?: true }
  | { source: 'page'; key: string; at: number; url: string; type: string };

/**
 * The one builder of an observation row, whoever saw the request: webRequest (`r<request id>`, so its
 * start and end are one row), the page's Resource Timing (`p<start time>:<url>`), or a catalog request
 * recovered from the page's report after a stopped worker lost its events (`t<url key>:<occurrence>`).
 */
export function observationRow(visitId: string, seen: SeenRequest, cls: Extract<UrlClass, { party: 'listed' | 'unlisted' }>, kind: RequestKind, judged: RequestRecord | null): Observation {
  const listed = cls.party === 'listed' ? cls : null;
  return {
    id: seen.source === 'network' ? `${visitId}:r${seen.requestId}` : `${visitId}:${seen.key}`,
    visitId,
    at: seen.at,
    entryId: listed?.entryId ?? null,
    host: cls.host,
    url: seen.url,
    kind,
    type: seen.type,
    method: seen.source === 'network' ? seen.method : 'GET',
    ...(seen.source === 'network' ? { status: seen.status, error: seen.error, initiator: seen.initiator, ...(seen.worker ? { worker: true as const } : {}) } : {}),
    frameId: seen.source === 'network' ? seen.frameId : 0,
    source: seen.source,
    via: listed?.via,
    relay: listed?.relay,
    consentMode: judged?.consentMode,
    personalData: judged?.personalData.length ? judged.personalData : undefined,
    carried: judged?.carried,
    event: judged?.event,
  };
}
