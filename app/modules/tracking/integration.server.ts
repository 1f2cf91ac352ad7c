import { randomBytes } from "node:crypto";
import type { Database } from "#db/client";
import { writeAudit } from "../audit/audit.server";
import { partnershipsFor } from "../applications/partnership-data.server";
import { hashToken } from "../auth/tokens.server";
import { DomainError } from "../errors.server";
import { assertTenant, hasRole, type Tenant } from "../orgs/tenant.server";
import type { TestPostbackInput, TrackingEngine } from "./engine-types";
import { postbackCredentialsFor } from "./postback-credential-data.server";
import { postbackLogFor } from "./postback-log-data.server";
import { POSTBACK_LOG_SHOWN } from "./schemas";

function assertMerchantAdmin(tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant", role: "admin", forbidden: "Only owners and admins can change postback credentials." });
}

/** 256 random bits, base64url, after a prefix that says what the string is when it turns up in a log or a repository. */
function credential(prefix: "sbp_" | "sbs_") {
  return prefix + randomBytes(32).toString("base64url");
}

/**
 * The merchant's integration page: which credentials exist (never the credentials), the latest
 * postbacks its server sent, and the active partnerships the test tool can use, with their events.
 */
export async function getIntegration(db: Database, tenant: Tenant) {
  assertTenant(tenant, { kind: "merchant" });
  const [credentials, log, partnerships] = await Promise.all([
    postbackCredentialsFor(db, tenant).status(),
    postbackLogFor(db, tenant).latest(POSTBACK_LOG_SHOWN),
    partnershipsFor(db, tenant).choices({ status: "active" }),
  ]);
  return {
    merchantId: tenant.organization.id,
    /** A fresh order id for the test tool, so a second test is not a repeat of the first. */
    testOrderId: `test-${randomBytes(6).toString("hex")}`,
    canManageCredentials: hasRole(tenant, "admin"),
    credentials: { ...credentials, hasSecret: credentials.secretRotatedAt !== null },
    log,
    testPartnerships: partnerships.map((p) => ({
      id: p.id,
      label: `${p.counterpartName} · ${p.offerTitle}`,
      currency: p.currency,
      events: p.events,
    })),
  };
}

/**
 * A new postback token, replacing the old one at once. Only its SHA-256 (hex, of the whole token)
 * and its first 8 characters are stored: the token itself is returned to be shown this once.
 */
export async function rotatePostbackToken(db: Database, tenant: Tenant): Promise<{ token: string }> {
  assertMerchantAdmin(tenant);
  const token = credential("sbp_");
  const hint = token.slice(0, 8);
  await db.transaction(async (tx) => {
    const own = postbackCredentialsFor(tx, tenant);
    const before = await own.status();
    await own.setToken({ hash: hashToken(token), hint });
    await writeAudit(tx, tenant.user, {
      action: "postback.token_rotated",
      targetType: "organization",
      targetId: tenant.organization.id,
      organizationId: tenant.organization.id,
      before: { tokenHint: before.tokenHint },
      after: { tokenHint: hint },
    });
  });
  return { token };
}

/**
 * A new signing secret, replacing the old one at once. HMAC needs the secret itself, so it is stored
 * as it is, but no page shows it again after this answer; the audit log records only that it changed.
 */
export async function rotateSigningSecret(db: Database, tenant: Tenant): Promise<{ secret: string }> {
  assertMerchantAdmin(tenant);
  const secret = credential("sbs_");
  await db.transaction(async (tx) => {
    const own = postbackCredentialsFor(tx, tenant);
    const before = await own.status();
    await own.setSigningSecret(secret);
    await writeAudit(tx, tenant.user, {
      action: "postback.secret_rotated",
      targetType: "organization",
      targetId: tenant.organization.id,
      organizationId: tenant.organization.id,
      before: { hasSecret: before.secretRotatedAt !== null },
      after: { hasSecret: true },
    });
  });
  return { secret };
}

/**
 * The test tool: a real click on one of the merchant's active partnerships and a real postback for
 * it, through the engine, answered with exactly what the engine did.
 */
export async function sendTestPostback(
  db: Database,
  tenant: Tenant,
  engine: Pick<TrackingEngine, "testPostback">,
  input: TestPostbackInput,
) {
  assertTenant(tenant, { kind: "merchant" });
  const { partnership, offer } = await partnershipsFor(db, tenant).get(input.partnershipId);
  if (partnership.status !== "active") {
    throw new DomainError("partnership_inactive", "Choose an active partnership: only those take clicks.", "partnershipId", 409);
  }
  if (!offer.terms.some((t) => t.event === input.event)) {
    throw new DomainError(
      "unknown_event",
      `${offer.title} pays for ${offer.terms.map((t) => t.event).join(", ")}, not ${input.event}.`,
      "event",
    );
  }
  return engine.testPostback(db, tenant, input);
}
