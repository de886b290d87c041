import * as z from 'zod/mini';
import type { Catalog, HostRule } from './schema';

/**
 * The catalog's vocabulary: the ids, categories and kinds that the rest of the code and its stored
 * records speak in, and the small helpers every bundle needs. The schemas of the catalog's data files
 * (schema.ts) are checked at build time (data.ts) and never run in the extension; keeping them in a
 * module of their own keeps their construction (some 130 zod schemas) out of the worker's start-up
 * and out of every page's.
 */

export const CONSENT_CATEGORIES = ['necessary', 'functional', 'statistics', 'marketing'] as const;
export const ConsentCategory = z.lazy(() => z.enum(CONSENT_CATEGORIES));
export type ConsentCategory = z.infer<typeof ConsentCategory>;

export const ENTRY_IDS = [
  'aws',
  'google-analytics',
  'google-tag-manager',
  'google-ads',
  'microsoft-ads',
  'meta-pixel',
  'trustpilot',
  'adyen',
] as const;
export const EntryId = z.lazy(() => z.enum(ENTRY_IDS));
export type EntryId = z.infer<typeof EntryId>;

/** Text we show in both UI languages. */
export const LocalText = z.lazy(() => z.strictObject({ nl: z.string().check(z.minLength(1)), en: z.string().check(z.minLength(1)) }));
export type LocalText = z.infer<typeof LocalText>;

/** What a matched request is, so the UI can tell a script load from a data-carrying hit. */
export const RequestKind = z.lazy(() => z.enum(['script', 'hit', 'config', 'widget', 'payment', 'page', 'other']));
export type RequestKind = z.infer<typeof RequestKind>;

/** GVL ids of the catalog's vendors, for the TCF and GPP readers (they keep only these). */
export const catalogGvlIds = (catalog: Catalog): number[] => [...new Set(catalog.entries.flatMap((e) => (e.gvlId ? [e.gvlId] : [])))];

/** The hosts a host rule covers. */
export const ruleHosts = (rule: HostRule): readonly string[] => (typeof rule.host === 'string' ? [rule.host] : rule.host);

export const PROMISE_IDS = [
  'ga-anonymised',
  'meta-unfinished-purchase-only',
  'trustpilot-only-with-permission',
  'no-sharing-without-consent',
  'encrypted',
  'aws-in-the-eu',
  'named-processors-only',
  'answer-within-a-month',
] as const;
export const PromiseId = z.lazy(() => z.enum(PROMISE_IDS));
export type PromiseId = z.infer<typeof PromiseId>;

/** An AWS region code: eu-west-1, us-gov-west-1, eusc-de-east-1. */
export const AwsRegion = z.lazy(() => z.string().check(z.regex(/^[a-z]{2,4}(-[a-z]+)+-[0-9]$/, 'an AWS region code')));
