import type { Database } from "#db/client";
import type { Tenant } from "../orgs/tenant.server";

/** The merchant's test tool: which partnership, and the order it pretends to report. */
export type TestPostbackInput = {
  partnershipId: string;
  orderId: string;
  /** A decimal string in the offer's currency, as a merchant's server would send it. */
  amount: string;
  event: string;
};

/** What the test tool did, shown to the merchant exactly: the click it made, the request and the answer. */
export type TestPostbackResult = {
  clickId: string;
  parameters: Record<string, string>;
  answer: { status: number; body: unknown };
};

/**
 * The tracking engine as Remix sees it through the load context: one instance per process, built in
 * server/ and shared with the click and postback fast paths.
 */
export interface TrackingEngine {
  /**
   * A real click on the partnership's link, then a real postback for it, through the engine's own
   * writers but on the request's database (so a test's transaction holds them too).
   */
  testPostback(db: Database, merchant: Tenant, input: TestPostbackInput): Promise<TestPostbackResult>;
  /** The public URL of a tracking link code. */
  linkUrl(code: string): string;
  /** What is stored of a client address (a log-in's, to compare with clicks'): its HMAC under the network's IP key. */
  ipHmac(ip: string): string;
}
