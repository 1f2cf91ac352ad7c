import { EmailButton, EmailLayout, Paragraph } from "./layout";

export type InvoiceIssuedProps = { merchantName: string; invoiceNumber: string; total: string; dueOn: string; url: string };

export function InvoiceIssued({ merchantName, invoiceNumber, total, dueOn, url }: InvoiceIssuedProps) {
  return (
    <EmailLayout preview={`Invoice ${invoiceNumber}: ${total} due ${dueOn}`} heading={`Invoice ${invoiceNumber}`}>
      <Paragraph>
        The network issued invoice {invoiceNumber} to {merchantName} for {total}, due on {dueOn}. It lists the conversions approved and
        reversed in its period, per offer.
      </Paragraph>
      <EmailButton href={url}>View the invoice</EmailButton>
    </EmailLayout>
  );
}

export type InvoicePaymentProps = { merchantName: string; invoiceNumber: string; amount: string; open: string; paid: boolean; url: string };

export function InvoicePayment({ merchantName, invoiceNumber, amount, open, paid, url }: InvoicePaymentProps) {
  return (
    <EmailLayout preview={`Payment of ${amount} received`} heading={paid ? `Invoice ${invoiceNumber} is paid` : `Payment received`}>
      <Paragraph>
        We received {amount} from {merchantName} for invoice {invoiceNumber}.{" "}
        {paid ? "The invoice is paid in full. Thank you." : `${open} is still open on it.`}
      </Paragraph>
      <EmailButton href={url}>View the invoice</EmailButton>
    </EmailLayout>
  );
}

export type InvoiceVoidProps = { merchantName: string; invoiceNumber: string; reason: string; url: string };

export function InvoiceVoid({ merchantName, invoiceNumber, reason, url }: InvoiceVoidProps) {
  return (
    <EmailLayout preview={`Invoice ${invoiceNumber} was voided`} heading={`Invoice ${invoiceNumber} was voided`}>
      <Paragraph>
        The network voided invoice {invoiceNumber} to {merchantName}. Nothing is owed on it.
      </Paragraph>
      <Paragraph>Reason: {reason}</Paragraph>
      <Paragraph>Its conversions will be billed on your next invoice.</Paragraph>
      <EmailButton href={url}>View the invoice</EmailButton>
    </EmailLayout>
  );
}

export type InvoiceOverdueProps = { merchantName: string; invoiceNumber: string; open: string; dueOn: string; url: string };

export function InvoiceOverdue({ merchantName, invoiceNumber, open, dueOn, url }: InvoiceOverdueProps) {
  return (
    <EmailLayout preview={`Invoice ${invoiceNumber} is overdue`} heading={`Invoice ${invoiceNumber} is overdue`}>
      <Paragraph>
        Invoice {invoiceNumber} to {merchantName} was due on {dueOn} and {open} is still open. Please pay it, or reply to this email if you
        already did.
      </Paragraph>
      <EmailButton href={url}>View the invoice</EmailButton>
    </EmailLayout>
  );
}
