import { Document, Page, StyleSheet, Text, View, renderToBuffer } from "@react-pdf/renderer";
import { formatCount } from "~/lib/counts";
import { INVOICE_STATUS_LABELS, labelOf } from "~/lib/labels";
import { formatMoney } from "~/lib/money";
import type { Database } from "#db/client";
import type { Tenant } from "../orgs/tenant.server";
import { invoicesFor, type InvoiceDetails } from "./invoice-data.server";
import { formatInvoiceNumber, periodLastDay } from "./invoice-format";

/** Who issues the invoice, as printed at its top. */
const NETWORK_NAME = "Switchboard affiliate network";

// Helvetica is one of the PDF's built-in fonts: nothing to download or embed.
const styles = StyleSheet.create({
  page: { padding: 48, fontFamily: "Helvetica", fontSize: 10, color: "#18181b" },
  header: { flexDirection: "row", justifyContent: "space-between", marginBottom: 28 },
  network: { fontSize: 16, fontFamily: "Helvetica-Bold", color: "#4f46e5" },
  title: { fontSize: 20, fontFamily: "Helvetica-Bold", textAlign: "right" },
  muted: { color: "#71717a" },
  facts: { flexDirection: "row", flexWrap: "wrap", marginBottom: 24 },
  fact: { width: "50%", marginBottom: 8 },
  label: { color: "#71717a", fontSize: 8, textTransform: "uppercase", marginBottom: 2 },
  section: { fontFamily: "Helvetica-Bold", fontSize: 11, marginTop: 12, marginBottom: 6 },
  row: { flexDirection: "row", borderBottomWidth: 0.5, borderBottomColor: "#e4e4e7", paddingVertical: 4 },
  head: { flexDirection: "row", borderBottomWidth: 1, borderBottomColor: "#18181b", paddingVertical: 4, fontFamily: "Helvetica-Bold" },
  wide: { flex: 3 },
  cell: { flex: 1, textAlign: "right" },
  totals: { marginTop: 12, marginLeft: "50%" },
  totalRow: { flexDirection: "row", justifyContent: "space-between", paddingVertical: 2 },
  grand: { fontFamily: "Helvetica-Bold", fontSize: 12, borderTopWidth: 1, borderTopColor: "#18181b", paddingTop: 4, marginTop: 2 },
  footer: { position: "absolute", bottom: 32, left: 48, right: 48, fontSize: 8, color: "#71717a", textAlign: "center" },
});

const day = (value: Date | string) => new Date(value).toISOString().slice(0, 10);

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <View style={styles.fact}>
      <Text style={styles.label}>{label}</Text>
      <Text>{value}</Text>
    </View>
  );
}

function InvoiceDocument({ details }: { details: InvoiceDetails }) {
  const { invoice: i, merchantName, lines, payments, openMinor } = details;
  const money = (minor: number) => formatMoney(minor, i.currency);
  const number = formatInvoiceNumber(i.number);
  return (
    <Document title={`Invoice ${number}`} author={NETWORK_NAME}>
      <Page size="A4" style={styles.page}>
        <View style={styles.header}>
          <View>
            <Text style={styles.network}>{NETWORK_NAME}</Text>
            <Text style={styles.muted}>Affiliate commissions and network fees</Text>
          </View>
          <View>
            <Text style={styles.title}>Invoice {number}</Text>
            <Text style={[styles.muted, { textAlign: "right" }]}>{labelOf(INVOICE_STATUS_LABELS, i.status)}</Text>
          </View>
        </View>
        <View style={styles.facts}>
          <Fact label="Billed to" value={merchantName} />
          <Fact label="Currency" value={i.currency} />
          <Fact label="Period" value={`${day(i.periodStart)} to ${day(periodLastDay(i))}`} />
          <Fact label="Issued" value={day(i.issuedAt)} />
          <Fact label="Due" value={day(i.dueAt)} />
          {i.voidReason ? <Fact label="Void because" value={i.voidReason} /> : null}
        </View>
        <Text style={styles.section}>Conversions per offer</Text>
        <View style={styles.head}>
          <Text style={styles.wide}>Offer</Text>
          <Text style={styles.cell}>Approved</Text>
          <Text style={styles.cell}>Reversed</Text>
          <Text style={styles.cell}>Commission</Text>
          <Text style={styles.cell}>Fee</Text>
          <Text style={styles.cell}>Total</Text>
        </View>
        {lines.map((l) => (
          <View key={l.id} style={styles.row} wrap={false}>
            <Text style={styles.wide}>{l.offerName}</Text>
            <Text style={styles.cell}>{formatCount(l.approvals)}</Text>
            <Text style={styles.cell}>{formatCount(l.reversals)}</Text>
            <Text style={styles.cell}>{money(l.commissionMinor)}</Text>
            <Text style={styles.cell}>{money(l.feeMinor)}</Text>
            <Text style={styles.cell}>{money(l.totalMinor)}</Text>
          </View>
        ))}
        <View style={styles.totals}>
          <View style={styles.totalRow}>
            <Text>Commission</Text>
            <Text>{money(i.commissionMinor)}</Text>
          </View>
          <View style={styles.totalRow}>
            <Text>Network fee</Text>
            <Text>{money(i.feeMinor)}</Text>
          </View>
          <View style={[styles.totalRow, styles.grand]}>
            <Text>Total</Text>
            <Text>{money(i.totalMinor)}</Text>
          </View>
          <View style={styles.totalRow}>
            <Text>Paid</Text>
            <Text>{money(i.paidMinor)}</Text>
          </View>
          <View style={[styles.totalRow, styles.grand]}>
            <Text>Open</Text>
            <Text>{money(openMinor)}</Text>
          </View>
        </View>
        {payments.length ? (
          <>
            <Text style={styles.section}>Payments received</Text>
            <View style={styles.head}>
              <Text style={styles.cell}>Received</Text>
              <Text style={styles.wide}>Reference</Text>
              <Text style={styles.cell}>Amount</Text>
            </View>
            {payments.map((p) => (
              <View key={p.id} style={styles.row} wrap={false}>
                <Text style={[styles.cell, { textAlign: "left" }]}>{p.receivedOn}</Text>
                <Text style={styles.wide}>{p.reference}</Text>
                <Text style={styles.cell}>{money(p.amountMinor)}</Text>
              </View>
            ))}
          </>
        ) : null}
        <Text
          style={styles.footer}
          fixed
          render={({ pageNumber, totalPages }) => `Invoice ${number} · page ${pageNumber} of ${totalPages}`}
        />
      </Page>
    </Document>
  );
}

/** The invoice as a PDF file, laid out and rendered on the server (no browser). */
export function renderInvoicePdf(details: InvoiceDetails): Promise<Buffer> {
  return renderToBuffer(<InvoiceDocument details={details} />);
}

/** The tenant's invoice as a PDF download; another merchant's is not found. */
export async function merchantInvoicePdf(db: Database, tenant: Tenant, invoiceId: string) {
  const details = await invoicesFor(db, tenant).get(invoiceId);
  return { filename: `${formatInvoiceNumber(details.invoice.number)}.pdf`, body: await renderInvoicePdf(details) };
}
