import { GppModel } from '@iabgpp/cmpapi';
import type { ConsentRecord } from '../model';
import { recordFromTcf } from './tcf';

/** GPP strings hold a header and one segment per section; a few kB at most. */
const MAX_GPP_STRING_LENGTH = 16_384;

/**
 * An IAB GPP string (Global Privacy Platform), decoded with the IAB's own library. Its only EU section
 * is `tcfeuv2` (section id 2), the TCF core segment: read like a TC string. The US sections (opt-outs
 * of sale under state laws) say nothing about a Dutch customer's consent, so a string without the EU
 * section is no record here. The library decodes lazily and throws on a broken section: null.
 */
export function parseGppString(raw: string, gvlIds?: readonly number[]): ConsentRecord | null {
  if (raw.length === 0 || raw.length > MAX_GPP_STRING_LENGTH || !/^[A-Za-z0-9_\-.~]+$/.test(raw)) return null;
  try {
    const model = new GppModel(raw);
    if (!model.hasSection('tcfeuv2')) return null;
    const purposes = model.getFieldValue('tcfeuv2', 'PurposeConsents') as unknown;
    const vendors = model.getFieldValue('tcfeuv2', 'VendorConsents') as unknown;
    const interests = model.getFieldValue('tcfeuv2', 'VendorLegitimateInterests') as unknown;
    if (!Array.isArray(purposes) || !Array.isArray(vendors) || !Array.isArray(interests)) return null;
    const purposeConsents = new Set<number>();
    purposes.forEach((yes, index) => {
      if (yes === true) purposeConsents.add(index + 1);
    });
    const consented = new Set(vendors.filter((id): id is number => typeof id === 'number'));
    const legitimate = new Set(interests.filter((id): id is number => typeof id === 'number'));
    return recordFromTcf('gpp', { purposeConsents, vendorConsent: (id) => consented.has(id), vendorLegitimateInterest: (id) => legitimate.has(id) }, gvlIds);
  } catch {
    return null;
  }
}
