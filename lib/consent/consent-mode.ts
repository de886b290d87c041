import * as z from 'zod/mini';
import { readQuery } from '../classify/query';

/** One Consent Mode signal as a Google request reports it. */
export const SignalState = z.lazy(() => z.enum(['granted', 'denied', 'not-set']));
export type SignalState = z.infer<typeof SignalState>;

export const ConsentModeSignals = z.lazy(() => z.strictObject({
  adStorage: SignalState,
  analyticsStorage: SignalState,
  /** From `gcd` only (Consent Mode v2). */
  adUserData: z.optional(SignalState),
  adPersonalization: z.optional(SignalState),
}));
export type ConsentModeSignals = z.infer<typeof ConsentModeSignals>;

/**
 * gcd letters: what the default and the update said, and what is in force.
 * l: not set · p: denied by default · q: denied, then denied · r: denied, then granted ·
 * t: granted by default · u: granted, then denied · v: granted, then granted ·
 * m: updated to denied · n: updated to granted.
 */
const GCD_LETTER: Record<string, SignalState> = { l: 'not-set', p: 'denied', q: 'denied', r: 'granted', t: 'granted', u: 'denied', v: 'granted', m: 'denied', n: 'granted' };

/**
 * Google Consent Mode from a Google request's query: `gcs=G1<ad><analytics>` (1 granted, 0
 * denied) and `gcd=<2 digits><letter><digit><letter><digit><letter><digit><letter>…` for
 * ad_storage, analytics_storage, ad_user_data, ad_personalization. The digits between the letters
 * vary between tag versions, so `gcd` is read by position, not by fixed digits. `gcd` wins
 * where both are there. Microsoft's UET sends its own ad_storage as `asc=G|D` (help topic
 * hlp_ba_conc_uet_consent), read only where Google's are absent. `null`: the request carries no
 * Consent Mode at all.
 */
export function parseConsentMode(query: string): ConsentModeSignals | null {
  if (query.length > 65_536) query = query.slice(0, 65_536);
  const params = readQuery(query.startsWith('?') ? query.slice(1) : query);
  const gcs = params.get('gcs');
  const gcd = params.get('gcd');
  let signals: ConsentModeSignals | null = null;
  const fromGcs = gcs?.match(/^G1([01])([01])$/);
  if (fromGcs) {
    signals = { adStorage: fromGcs[1] === '1' ? 'granted' : 'denied', analyticsStorage: fromGcs[2] === '1' ? 'granted' : 'denied' };
  }
  const fromGcd = gcd?.match(/^\d{2}([a-z])\d([a-z])\d([a-z])\d([a-z])/);
  if (fromGcd) {
    const [ad, analytics, userData, personalization] = fromGcd.slice(1, 5).map((letter) => GCD_LETTER[letter!]);
    if (ad && analytics && userData && personalization) {
      signals = { adStorage: ad, analyticsStorage: analytics, adUserData: userData, adPersonalization: personalization };
    }
  }
  if (signals === null) {
    const asc = params.get('asc');
    if (asc === 'G' || asc === 'D') signals = { adStorage: asc === 'G' ? 'granted' : 'denied', analyticsStorage: 'not-set' };
  }
  return signals;
}
