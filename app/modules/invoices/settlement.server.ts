import { eq } from "drizzle-orm";
import type { Database } from "#db/client";
import { enqueueEmail } from "#emails/outbox";
import { invoicePayments, invoices, organizations } from "#db/schema";
import { formatMoney, parseAmount } from "~/lib/money";
import type { StaffActor } from "../auth/staff.server";
import { writeAudit } from "../audit/audit.server";
import { DomainError, notFound } from "../errors.server";
import { bookTransfer } from "../ledger/postings.server";
import { contactEmails } from "../orgs/contacts.server";
import { formatInvoiceNumber, openMinorOf } from "./invoice-format";

type Links = { appUrl: string };

/** The invoice and its merchant's name, locked: a payment and a void of one invoice run one after the other. */
async function lockInvoice(tx: Database, invoiceId: string) {
  const [row] = await tx
    .select({ invoice: invoices, merchantName: organizations.name })
    .from(invoices)
    .innerJoin(organizations, eq(organizations.id, invoices.merchantId))
    .where(eq(invoices.id, invoiceId))
    .for("update", { of: invoices });
  if (!row) throw notFound("Invoice not found");
  return row;
}

export type PaymentInput = { amount: string; receivedOn: string; reference: string };

/**
 * Records money the merchant paid against an invoice, as staff saw it arrive: the payment, the ledger
 * posting (cash up, the merchant's receivable down) and the invoice's paid amount in one transaction;
 * paid once nothing is open. Never more than what is open.
 */
export async function recordInvoicePayment(db: Database, staff: StaffActor, invoiceId: string, input: PaymentInput, links: Links) {
  return db.transaction(async (tx) => {
    const { invoice, merchantName } = await lockInvoice(tx, invoiceId);
    if (invoice.status !== "issued") {
      throw new DomainError(
        "invoice_closed",
        `Invoice ${formatInvoiceNumber(invoice.number)} is ${invoice.status}: it takes no payments.`,
        "amount",
        409,
      );
    }
    const parsed = parseAmount(input.amount, invoice.currency);
    if (parsed.error !== null) throw new DomainError("invalid_amount", parsed.error, "amount");
    const open = openMinorOf(invoice);
    if (parsed.value <= 0) throw new DomainError("invalid_amount", "Enter an amount above zero.", "amount");
    if (parsed.value > open) {
      throw new DomainError(
        "over_payment",
        `Only ${formatMoney(open, invoice.currency)} is open on ${formatInvoiceNumber(invoice.number)}; record at most that.`,
        "amount",
      );
    }
    const postingId = await bookTransfer(tx, {
      kind: "merchant_payment",
      currency: invoice.currency,
      memo: `Payment for ${formatInvoiceNumber(invoice.number)}`,
      debit: { kind: "cash", organizationId: null },
      credit: { kind: "merchant_receivable", organizationId: invoice.merchantId },
      amountMinor: parsed.value,
    });
    const [payment] = await tx
      .insert(invoicePayments)
      .values({
        invoiceId,
        amountMinor: parsed.value,
        receivedOn: input.receivedOn,
        reference: input.reference,
        postingId,
        recordedByUserId: staff.id,
      })
      .returning({ id: invoicePayments.id });
    const paidMinor = invoice.paidMinor + parsed.value;
    const paid = paidMinor === invoice.totalMinor;
    const now = new Date();
    await tx
      .update(invoices)
      .set({ paidMinor, ...(paid ? { status: "paid" as const, paidAt: now } : {}) })
      .where(eq(invoices.id, invoiceId));
    await writeAudit(tx, staff, {
      action: "invoice.payment",
      targetType: "invoice",
      targetId: invoiceId,
      organizationId: invoice.merchantId,
      before: { paidMinor: invoice.paidMinor, status: invoice.status },
      after: { paidMinor, status: paid ? "paid" : "issued", paymentId: payment!.id, amountMinor: parsed.value, ...input },
    });
    const props = {
      merchantName,
      invoiceNumber: formatInvoiceNumber(invoice.number),
      amount: formatMoney(parsed.value, invoice.currency),
      open: formatMoney(openMinorOf({ ...invoice, paidMinor }), invoice.currency),
      paid,
      url: `${links.appUrl}/app/invoices/${invoiceId}`,
    };
    for (const address of await contactEmails(tx, [invoice.merchantId])) await enqueueEmail(tx, address, "invoice_payment", props);
    return { paymentId: payment!.id, paidMinor, paid };
  });
}

/**
 * Voids an invoice that nothing was paid on, with the reason: its postings are billed again by the
 * merchant's next invoice. One with a payment stays: the money received is booked against it.
 */
export async function voidInvoice(db: Database, staff: StaffActor, invoiceId: string, reason: string, links: Links) {
  return db.transaction(async (tx) => {
    const { invoice, merchantName } = await lockInvoice(tx, invoiceId);
    if (invoice.status === "void")
      throw new DomainError("invoice_void", `Invoice ${formatInvoiceNumber(invoice.number)} is already void.`, "reason", 409);
    if (invoice.paidMinor > 0) {
      throw new DomainError(
        "invoice_paid",
        `${formatMoney(invoice.paidMinor, invoice.currency)} was paid on ${formatInvoiceNumber(invoice.number)}: an invoice with payments cannot be voided.`,
        "reason",
        409,
      );
    }
    await tx
      .update(invoices)
      .set({ status: "void", voidedAt: new Date(), voidReason: reason, voidedByUserId: staff.id })
      .where(eq(invoices.id, invoiceId));
    await writeAudit(tx, staff, {
      action: "invoice.void",
      targetType: "invoice",
      targetId: invoiceId,
      organizationId: invoice.merchantId,
      before: { status: invoice.status },
      after: { status: "void", reason },
    });
    const props = {
      merchantName,
      invoiceNumber: formatInvoiceNumber(invoice.number),
      reason,
      url: `${links.appUrl}/app/invoices/${invoiceId}`,
    };
    for (const address of await contactEmails(tx, [invoice.merchantId])) await enqueueEmail(tx, address, "invoice_void", props);
  });
}
