/** An invoice's number as printed on it and named in emails: INV-000042. */
export function formatInvoiceNumber(number: number): string {
  return `INV-${String(number).padStart(6, "0")}`;
}

/** Issued and past its due date at `now`: the merchant owes money it should have paid. */
export function isOverdue(invoice: { status: string; dueAt: Date | string }, now: Date): boolean {
  return invoice.status === "issued" && new Date(invoice.dueAt) < now;
}

/** What is still owed on an invoice: its total less what was paid, and nothing once it is void. */
export function openMinorOf(invoice: { status: string; totalMinor: number; paidMinor: number }): number {
  return invoice.status === "void" ? 0 : invoice.totalMinor - invoice.paidMinor;
}

/** The last day an invoice's period covers: the period's end is exclusive, so the instant before it. */
export function periodLastDay(invoice: { periodEnd: Date | string }): Date {
  return new Date(new Date(invoice.periodEnd).getTime() - 1);
}
