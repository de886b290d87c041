import * as z from 'zod/mini';

export const REQUEST_TYPES = ['access', 'erasure', 'objection', 'rectification', 'portability', 'withdrawal'] as const;
export const RequestType = z.lazy(() => z.enum(REQUEST_TYPES));
export type RequestType = z.infer<typeof RequestType>;

/** The GDPR article each request rests on. */
export const ARTICLES: Record<RequestType, string> = {
  access: '15',
  erasure: '17',
  objection: '21',
  rectification: '16',
  portability: '20',
  withdrawal: '7(3)',
};

export const CHANNELS = ['shop-form', 'email-contact', 'email-dpo'] as const;
export const Channel = z.lazy(() => z.enum(CHANNELS));
export type Channel = z.infer<typeof Channel>;

/** Where a request stands: the customer records the shop's answer, an extension or closing it. */
export const REQUEST_STATUSES = ['sent', 'answered', 'extended', 'closed'] as const;
export const RequestStatus = z.lazy(() => z.enum(REQUEST_STATUSES));
export type RequestStatus = z.infer<typeof RequestStatus>;

/** Steps after the first request, when the answer does not come. */
export const FOLLOW_UPS = ['reminder', 'dpo-complaint', 'authority-complaint'] as const;
export type FollowUp = (typeof FOLLOW_UPS)[number];

/**
 * A shop order number. The shop's own format is not public; this accepts what order numbers
 * look like (letters, digits and dashes, 4 to 24 characters) and says so when it is not.
 */
export const OrderNumber = z.lazy(() => z.string().check(z.trim(), z.regex(/^[A-Za-z0-9][A-Za-z0-9-]{2,22}[A-Za-z0-9]$/, { error: 'order-number-shape' })));

export const Customer = z.lazy(() => z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1, { error: 'name-missing' }), z.maxLength(200, { error: 'name-too-long' })),
  email: z.email({ error: 'email-invalid' }).check(z.maxLength(254, { error: 'email-invalid' })),
  orderNumber: z.union([z.literal(''), OrderNumber]),
}));
export type Customer = z.infer<typeof Customer>;

/** A tracking identifier seen on the shop, so that the shop can find data held under it. */
export interface TrackingIdentifier {
  /** Catalog entry that set it. */
  entryId: string;
  product: string;
  cookie: string;
  /** The identifier itself, e.g. the Google Analytics client id from `_ga`. */
  value: string;
}

/** A request as the log keeps it, from the moment the customer confirms it was sent. */
export const RightsRequestRecord = z.lazy(() => z.strictObject({
  id: z.string(),
  type: RequestType,
  channel: Channel,
  language: z.enum(['nl', 'en']),
  sentAt: z.number(),
  timeZone: z.string(),
  subject: z.string(),
  body: z.string().check(z.minLength(1)),
  recipient: z.string(),
  status: RequestStatus,
  /** Follow-ups sent so far, in order, each with its date. */
  followUps: z.array(z.strictObject({ step: z.enum(FOLLOW_UPS), at: z.number() })),
  notes: z.string().check(z.maxLength(10_000)),
  updatedAt: z.number(),
}));
export type RightsRequestRecord = z.infer<typeof RightsRequestRecord>;
