/** An invoice's number as printed on it and named in emails: INV-000042. */
export function formatInvoiceNumber(number: number): string {
  return `INV-${String(number).padStart(6, "0")}`;
}

/** Issued and past its due date at `now`: the merchant owes money it should have paid. */
export function isOverdue(invoice: { status: string; dueAt: Date | string }, now: Date): boolean {
  return invoice.status === "issued" && new Date(invoice.dueAt) < now;
}
