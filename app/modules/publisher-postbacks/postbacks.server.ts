import type { Database } from "#db/client";
import { amountToText } from "~/lib/money";
import { partnershipsFor } from "../applications/partnership-data.server";
import { writeAudit } from "../audit/audit.server";
import { DomainError, notFound } from "../errors.server";
import { assertTenant, hasRole, type Tenant } from "../orgs/tenant.server";
import { attemptDelivery } from "./deliveries.server";
import type { CallSettings } from "./http-call.server";
import { fillTemplate, type MacroValues } from "./macros";
import { publisherPostbacksFor } from "./postback-data.server";
import { DELIVERY_PAGE_SIZE, type SavePostbackInput } from "./schemas";
import { consumeLimit } from "../auth/rate-limit.server";
import { templateProblem } from "./template-rules.server";

function assertPublisherAdmin(tenant: Tenant) {
  assertTenant(tenant, { kind: "publisher", role: "admin", forbidden: "Only owners and admins can change postbacks." });
}

/**
 * The publisher's postbacks page: its templates, the offers it may give one (those of its
 * partnerships), a page of the delivery log (newest first; `before` is the cursor), and the
 * attempts of one delivery when asked for.
 */
export async function getPublisherPostbacks(db: Database, tenant: Tenant, query: { before?: number; delivery?: number }) {
  const own = publisherPostbacksFor(db, tenant);
  const [templates, partnerships, rows, opened] = await Promise.all([
    own.list(),
    partnershipsFor(db, tenant).choices(),
    own.deliveries({ before: query.before, limit: DELIVERY_PAGE_SIZE + 1 }),
    query.delivery ? own.delivery(query.delivery) : null,
  ]);
  const deliveries = rows.slice(0, DELIVERY_PAGE_SIZE);
  return {
    templates,
    offers: partnerships.map((p) => ({ id: p.offerId, label: `${p.offerTitle} (${p.counterpartName})` })),
    deliveries,
    next: rows.length > DELIVERY_PAGE_SIZE ? deliveries.at(-1)!.id : null,
    opened,
    canManage: hasRole(tenant, "admin"),
  };
}

/**
 * Registers the template for every offer (no offer) or for one offer of the publisher's
 * partnerships, replacing the one that scope had. A template that breaks a rule is a form error.
 */
export async function savePublisherPostback(
  db: Database,
  tenant: Tenant,
  input: SavePostbackInput,
  settings: Pick<CallSettings, "allowLoopback">,
) {
  assertPublisherAdmin(tenant);
  const problem = templateProblem(input.urlTemplate, settings.allowLoopback);
  if (problem) throw new DomainError("invalid_template", problem, "urlTemplate");
  const offerId = input.offerId ?? null;
  return db.transaction(async (tx) => {
    if (offerId && !(await partnershipsFor(tx, tenant).find(offerId, tenant.organization.id))) throw notFound("Offer not found");
    const own = publisherPostbacksFor(tx, tenant);
    const before = await own.findScope(offerId);
    const saved = await own.save({ offerId, urlTemplate: input.urlTemplate });
    await writeAudit(tx, tenant.user, {
      action: before ? "publisher_postback.changed" : "publisher_postback.registered",
      targetType: "publisher_postback",
      targetId: saved.id,
      organizationId: tenant.organization.id,
      before: before ? { offerId, urlTemplate: before.urlTemplate } : null,
      after: { offerId, urlTemplate: saved.urlTemplate },
    });
    return saved;
  });
}

export async function removePublisherPostback(db: Database, tenant: Tenant, input: { postbackId: string }) {
  assertPublisherAdmin(tenant);
  await db.transaction(async (tx) => {
    const removed = await publisherPostbacksFor(tx, tenant).remove(input.postbackId);
    await writeAudit(tx, tenant.user, {
      action: "publisher_postback.removed",
      targetType: "publisher_postback",
      targetId: removed.id,
      organizationId: tenant.organization.id,
      before: { offerId: removed.offerId, urlTemplate: removed.urlTemplate },
    });
  });
}

/** What a test delivery fills the macros with, in the offer's currency (US dollars for the global template). */
export function sampleMacroValues(currency: string): MacroValues {
  return {
    click_id: "TEST-CLICK-ID",
    sub1: "test-sub1",
    sub2: "test-sub2",
    sub3: "test-sub3",
    sub4: "test-sub4",
    sub5: "test-sub5",
    order_id: "TEST-ORDER-1",
    event: "sale",
    payout: amountToText(1250, currency),
    currency,
    status: "approved",
    conversion_id: "00000000-0000-0000-0000-000000000000",
  };
}

/**
 * The "send test" button: a delivery with trigger `test`, filled with sample values, called once
 * now so the publisher sees the answer (and the log shows it). A test is not retried: the publisher
 * is at the screen and sends another.
 */
export async function sendTestPublisherPostback(db: Database, tenant: Tenant, input: { postbackId: string }, settings: CallSettings) {
  // Owners and admins only, like the templates: a call to any address is not every member's to make.
  assertPublisherAdmin(tenant);
  const own = publisherPostbacksFor(db, tenant);
  const template = await own.get(input.postbackId);
  await consumeLimit(db, "postback_test", tenant.organization.id);
  const url = fillTemplate(template.urlTemplate, sampleMacroValues(template.offerCurrency ?? "USD"));
  const delivery = await own.insertDelivery({ postbackId: template.id, trigger: "test", url });
  const result = await attemptDelivery(db, delivery.id, settings, { once: true });
  return { deliveryId: delivery.id, url, ...result! };
}
