import type { Observation } from './schema';

/**
 * How a request's later report joins its earlier one, wherever the earlier one waits (the queue or
 * the disk): the start's time and judgement stay, the end adds its outcome. The one merge rule.
 */
export function mergeObservation(earlier: Observation, later: Observation): Observation {
  // The start read the request's body too: its personal data is kept and the end's added to it.
  const personalData = [...(earlier.personalData ?? []), ...(later.personalData ?? []).filter((hit) => !earlier.personalData?.some((h) => h.kind === hit.kind && h.where === hit.where))];
  return {
    ...earlier,
    ...withoutUndefined(later),
    at: earlier.at,
    consentMode: earlier.consentMode ?? later.consentMode,
    ...(personalData.length ? { personalData } : {}),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
