/*
 * What a person reads for each stored enum value: one map per enum, used by every page, so no page
 * shows "pending_review" or "approval". The form option labels of payout types, visibilities,
 * country modes and traffic sources live with their schemas (app/modules/offers/schemas.ts,
 * app/modules/orgs/schemas.ts).
 */
export const ORGANIZATION_KIND_LABELS = { merchant: "Merchant", publisher: "Publisher" } as const;

export const ORGANIZATION_STATUS_LABELS = {
  pending_review: "In review",
  active: "Active",
  rejected: "Rejected",
  suspended: "Suspended",
} as const;

export const MEMBER_ROLE_LABELS = { owner: "Owner", admin: "Admin", member: "Member" } as const;

export const OFFER_STATUS_LABELS = {
  draft: "Draft",
  in_review: "In review",
  active: "Active",
  paused: "Paused",
  archived: "Archived",
} as const;

export const APPLICATION_STATUS_LABELS = {
  pending: "Pending",
  approved: "Approved",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
} as const;

export const PARTNERSHIP_STATUS_LABELS = { invited: "Invited", active: "Active", paused: "Paused", ended: "Ended" } as const;

export const EMAIL_STATUS_LABELS = { pending: "Queued", sent: "Sent", failed: "Failed" } as const;

/** How a publisher joins a marketplace offer (private offers are not listed). */
export const APPROVAL_MODE_LABELS = { public: "Instant", approval: "Requires approval" } as const;

export const SOCIAL_PLATFORM_LABELS = {
  instagram: "Instagram",
  tiktok: "TikTok",
  youtube: "YouTube",
  x: "X (Twitter)",
  facebook: "Facebook",
  linkedin: "LinkedIn",
  pinterest: "Pinterest",
  twitch: "Twitch",
  other: "Other",
} as const;

export const PAYOUT_TYPE_NAMES = { cps: "CPS", cpa: "CPA", hybrid: "Hybrid" } as const;

export const CONVERSION_STATUS_LABELS = { pending: "Pending", approved: "Approved", rejected: "Rejected", reversed: "Reversed" } as const;

/**
 * Why a conversion does not earn or changed: the engine's attribution refusals, then the reasons a
 * merchant gives in the conversion lifecycle.
 */
export const CONVERSION_REASON_LABELS = {
  bot_click: "Bot click",
  cookie_expired: "Click older than the cookie window",
  offer_paused: "Offer paused",
  partnership_inactive: "Partnership not active",
  publisher_suspended: "Publisher suspended",
  cap_reached: "Conversion cap reached",
  country_excluded: "Country not allowed by the offer",
  returned: "Order returned",
  duplicate: "Duplicate order",
  fraud: "Fraud",
  cancelled: "Order cancelled",
  invalid: "Invalid order",
  test: "Test order",
  other: "Other reason",
} as const;

/** The reason codes a merchant or staff may give when rejecting a conversion. */
export const REJECTION_REASONS = ["duplicate", "fraud", "returned", "cancelled", "invalid", "test", "other"] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const CONVERSION_HOLD_LABELS = { none: "Not held", held: "On hold for fraud review", cleared: "Cleared by staff" } as const;

/** What fraud screening found on a conversion; each is stored with its evidence in words. */
export const FRAUD_SIGNAL_LABELS = {
  fast_conversion: "Converted too soon after the click",
  click_flood: "Click flood from one address",
  bot_user_agent: "Bot or tool user agent",
  self_traffic: "The publisher's own traffic",
  excluded_country: "Customer in a country the offer excludes",
  duplicate_order: "Order id reported to another merchant",
  conversion_burst: "Burst of conversions from one address",
} as const;
export type FraudSignalCode = keyof typeof FRAUD_SIGNAL_LABELS;

export const CONVERSION_ACTOR_LABELS = {
  merchant: "Merchant",
  publisher: "Publisher",
  staff: "Network staff",
  job: "Automatic",
  postback: "Merchant's postback",
} as const;

export const ATTRIBUTION_KIND_LABELS = { click: "Tracking link click", coupon: "Coupon code" } as const;

/** What the engine did with a postback, as its log records it: the result, or the error code it answered. */
export const POSTBACK_OUTCOME_LABELS = {
  recorded: "Conversion recorded",
  rejected: "Recorded as rejected",
  replayed: "Repeat of an earlier postback",
  refunded: "Refund applied",
  invalid_token: "Unknown postback token",
  unauthenticated: "No token or signature",
  invalid_signature: "Signature does not match",
  stale_signature: "Signature too old",
  unsigned_parameters: "Unsigned parameters",
  method_not_allowed: "Method not allowed",
  body_too_large: "Body too large",
  malformed_body: "Malformed body",
  unsupported_media_type: "Unsupported body type",
  invalid_parameters: "Invalid parameters",
  missing_attribution: "No click id or coupon",
  unknown_click: "Unknown click id",
  unknown_coupon: "Unknown coupon",
  unknown_order: "Unknown order",
  temporarily_unavailable: "Not recorded: try again",
  order_conflict: "Order id used with other data",
  currency_mismatch: "Wrong currency for the offer",
  unknown_event: "Event the offer does not pay for",
  invalid_amount: "Unreadable amount",
  amount_required: "Amount missing",
} as const;

export const POSTBACK_AUTHENTICATION_LABELS = {
  token: "Postback token",
  signature: "Signature",
  refused: "Refused",
  test_tool: "Test tool",
} as const;

/** Where a call to a publisher's postback URL stands. */
export const POSTBACK_DELIVERY_STATUS_LABELS = { pending: "Pending", delivered: "Delivered", failed: "Failed" } as const;

/** What made the network call a publisher's postback URL. */
export const POSTBACK_TRIGGER_LABELS = {
  created: "Conversion created",
  approved: "Conversion approved",
  rejected: "Conversion rejected",
  reversed: "Conversion reversed",
  test: "Test",
} as const;

export const LEDGER_ACCOUNT_KIND_LABELS = {
  merchant_receivable: "Merchant receivable",
  publisher_payable: "Publisher payable",
  network_revenue: "Network fee revenue",
  cash: "Cash",
} as const;

/** What an account's balance means, read the way round its kind is meant (a payable as what is owed to the publisher). */
export const LEDGER_BALANCE_LABELS = {
  merchant_receivable: "Owed by the merchant",
  publisher_payable: "Owed to the publisher",
  network_revenue: "Fees earned",
  cash: "Held",
} as const;

export const LEDGER_POSTING_KIND_LABELS = {
  conversion_approval: "Conversion approved",
  conversion_reversal: "Conversion reversed",
  merchant_payment: "Merchant payment",
  publisher_payout: "Publisher payout",
} as const;

export const INVOICE_STATUS_LABELS = { issued: "Open", paid: "Paid", void: "Void" } as const;

/** The label of a value, or the value itself when it is not one the map knows (an old or unknown value). */
export function labelOf<M extends Record<string, string>>(labels: M, value: string): string {
  return Object.hasOwn(labels, value) ? labels[value as keyof M]! : value;
}

export const PAYOUT_STATUS_LABELS = {
  pending: "Pending",
  paid: "Paid",
  failed: "Failed",
} as const;

export const PAYOUT_METHOD_LABELS = {
  bank_transfer: "Bank transfer",
  paypal: "PayPal",
  other: "Other",
} as const;

/** Why a payout run skipped a publisher whose balance was due. */
export const PAYOUT_SKIP_REASON_LABELS = { no_payout_method: "No payout method", not_active: "Organization not active" } as const;

export const REPORT_PRESET_LABELS = {
  today: "Today",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  this_month: "This month",
  last_month: "Last month",
  custom: "Custom range",
} as const;

export const REPORT_BREAKDOWN_LABELS = {
  day: "Day",
  offer: "Offer",
  publisher: "Publisher",
  merchant: "Merchant",
  sub: "Sub ID",
  country: "Country",
} as const;
