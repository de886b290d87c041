import { TCString } from '@iabtcf/core';
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
function categoriesFromPurposes(consented: Set<number>): { granted: RecordCategory[]; denied: RecordCategory[] } {
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

/**
 * A TCF v2 TC string, decoded with the IAB's own library. TCF records the choice's day only, so
 * `decidedAt` is left null: the moment comes from when the CMP reported `useractioncomplete`.
 */
export function parseTcString(raw: string): ConsentRecord | null {
  if (raw.length === 0 || raw.length > MAX_TC_STRING_LENGTH || !/^[A-Za-z0-9_\-.]+$/.test(raw)) return null;
  let consented: Set<number>;
  try {
    const model = TCString.decode(raw);
    if (model.version !== 2) return null;
    consented = new Set<number>();
    model.purposeConsents.forEach((yes, id) => {
      if (yes) consented.add(id);
    });
  } catch {
    return null;
  }
  return { source: 'tcf', decidedAt: null, ...categoriesFromPurposes(consented) };
}
