import * as z from 'zod/mini';

/** The user's own stance, set once in the extension: per optional category, allow, refuse or no view. */
export const StanceChoice = z.lazy(() => z.enum(['allow', 'refuse', 'unset']));
export type StanceChoice = z.infer<typeof StanceChoice>;

export const Stance = z.lazy(() => z.strictObject({
  functional: StanceChoice,
  statistics: StanceChoice,
  marketing: StanceChoice,
  updatedAt: z.nullable(z.number()),
}));
export type Stance = z.infer<typeof Stance>;

export const STANCE_KEY = 'stance:v1';
export const NO_STANCE: Stance = { functional: 'unset', statistics: 'unset', marketing: 'unset', updatedAt: null };

/** A stored stance, or none at all when what is stored does not parse. */
export function parseStance(raw: unknown): Stance {
  const parsed = Stance.safeParse(raw);
  return parsed.success ? parsed.data : NO_STANCE;
}
