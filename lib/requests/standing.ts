import * as z from 'zod/mini';
import { RequestStatus, RequestType, type RightsRequestRecord as Record_ } from './types';

/**
 * storage.session: the customer's rights requests as far as their deadlines go (type, when sent, in
 * which time zone, status), written by the background's deadline check. The popup judges the
 * policy's "antwoord binnen een maand" from it without opening the log; no letter or address is in it.
 */
export const RIGHTS_STANDING_KEY = 'rights-standing:v1';

export const RightsDigest = z.lazy(() => z.strictObject({
  id: z.string().check(z.maxLength(100)),
  type: RequestType,
  // z.number() refuses Infinity and NaN itself (classic's `.finite()` added no check).
  sentAt: z.number(),
  timeZone: z.string().check(z.maxLength(100)),
  status: RequestStatus,
}));
export type RightsDigest = z.infer<typeof RightsDigest>;

/** At most this many are kept: a customer writes a handful, and a flood must not fill session storage. */
const MAX_DIGESTS = 200;

export function digestRequests(requests: readonly Record_[]): RightsDigest[] {
  return requests.slice(0, MAX_DIGESTS).map(({ id, type, sentAt, timeZone, status }) => ({ id, type, sentAt, timeZone, status }));
}

/** The stored digest; null when none was written yet or it does not parse (not known, rather than none). */
export function parseRightsStanding(raw: unknown): RightsDigest[] | null {
  const parsed = z.array(RightsDigest).check(z.maxLength(MAX_DIGESTS)).safeParse(raw);
  return parsed.success ? parsed.data : null;
}
