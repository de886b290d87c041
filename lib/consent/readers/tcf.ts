import { TCString } from '@iabtcf/core';
import { catalog, catalogGvlIds } from '../../catalog';
import { normaliseCategories, type ConsentRecord, type RecordCategory } from '../model';

export const TCF_COOKIE = 'euconsent-v2';
const MAX_TC_STRING_LENGTH = 16_384;

/**
 * Our categories from TCF purposes (IAB TCF v2.2 policy, appendix A):
 * - functional: purpose 1, storing and accessing information on the device;
 * - statistics: purpose 1 with 8 (measure content performance) or 9 (market research);
 * - marketing: purposes 1, 3 and 4 (personalised advertising profile and selection).
 * The mapping is ours: TCF has no "statistics" or "marketing" category of its own.
 */
export function categoriesFromPurposes(consented: Set<number>): { granted: RecordCategory[]; denied: RecordCategory[] } {
  const storage = consented.has(1);
  const decisions: [RecordCategory, boolean][] = [
    ['functional', storage],
    ['statistics', storage && (consented.has(8) || consented.has(9))],
    ['marketing', storage && consented.has(3) && consented.has(4)],
  ];
  return {
    granted: normaliseCategories(['necessary', ...decisions.filter(([, yes]) => yes).map(([category]) => category)]),
    denied: normaliseCategories(decisions.filter(([, yes]) => !yes).map(([category]) => category)),
  };
}

/** What a TCF core segment says, in whichever string it arrived (a TC string, GPP's tcfeuv2 section). */
export interface TcfChoice {
  purposeConsents: Set<number>;
  vendorConsent(id: number): boolean;
  vendorLegitimateInterest(id: number): boolean;
}

/**
 * A record from a TCF choice: our categories from the purposes, and the consents of the catalog's own
 * GVL vendors (only those: the list of 1,500 others means nothing to this shop's customer). A vendor
 * whose legitimate-interest bit is unset had its legitimate interest objected to (or not disclosed).
 */
export function recordFromTcf(source: 'tcf' | 'gpp', choice: TcfChoice, gvlIds: readonly number[] = catalogGvlIds(catalog)): ConsentRecord {
  return {
    source,
    decidedAt: null,
    ...categoriesFromPurposes(choice.purposeConsents),
    vendors: {
      consents: gvlIds.filter((id) => choice.vendorConsent(id)),
      objections: gvlIds.filter((id) => !choice.vendorLegitimateInterest(id)),
    },
  };
}

/**
 * A TCF v2 TC string, decoded with the IAB's own library. TCF records the choice's day only, so
 * `decidedAt` is left null: the moment comes from when the CMP reported `useractioncomplete`.
 */
export function parseTcString(raw: string, gvlIds?: readonly number[]): ConsentRecord | null {
  const choice = decodeTcfChoice(raw);
  return choice && recordFromTcf('tcf', choice, gvlIds);
}

/** The choice in a TCF v2 TC string (or GPP's tcfeuv2 section, which is one), or null when it is not one. */
export function decodeTcfChoice(raw: string): TcfChoice | null {
  if (raw.length === 0 || raw.length > MAX_TC_STRING_LENGTH || !/^[A-Za-z0-9_\-.]+$/.test(raw)) return null;
  try {
    const model = TCString.decode(raw);
    if (model.version !== 2) return null;
    const purposeConsents = new Set<number>();
    model.purposeConsents.forEach((yes, id) => {
      if (yes) purposeConsents.add(id);
    });
    return { purposeConsents, vendorConsent: (id) => model.vendorConsents.has(id), vendorLegitimateInterest: (id) => model.vendorLegitimateInterests.has(id) };
  } catch {
    return null;
  }
}
