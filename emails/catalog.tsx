import { render } from "@react-email/render";
import type { ReactElement } from "react";
import { ConversionDigest, type ConversionDigestProps } from "./templates/conversion-digest";
import { Invitation, type InvitationProps } from "./templates/invitation";
import {
  InvoiceIssued,
  InvoiceOverdue,
  InvoicePayment,
  InvoiceVoid,
  type InvoiceIssuedProps,
  type InvoiceOverdueProps,
  type InvoicePaymentProps,
  type InvoiceVoidProps,
} from "./templates/invoices";
import {
  OfferApproved,
  OfferSentBack,
  OfferTermsChanged,
  PartnerNotice,
  type OfferReviewedProps,
  type OfferTermsChangedProps,
  type PartnerNoticeProps,
} from "./templates/marketplace";
import {
  OrganizationApproved,
  OrganizationReactivated,
  OrganizationRejected,
  OrganizationSuspended,
  type OrganizationStatusProps,
} from "./templates/organization-status";
import { PayoutCreated, PayoutFailed, PayoutPaid, type PayoutNoticeProps } from "./templates/payouts";
import { ResetPassword, type ResetPasswordProps } from "./templates/reset-password";
import { SignUpAttempt, type SignUpAttemptProps } from "./templates/sign-up-attempt";
import { VerifyEmail, type VerifyEmailProps } from "./templates/verify-email";

type Entry<P> = { subject: (props: P) => string; component: (props: P) => ReactElement };

/** Every email the app sends: its subject and its React Email component, by template name. */
export const emailCatalog = {
  verify_email: { subject: () => "Confirm your email address", component: VerifyEmail } satisfies Entry<VerifyEmailProps>,
  reset_password: { subject: () => "Reset your Switchboard password", component: ResetPassword } satisfies Entry<ResetPasswordProps>,
  sign_up_attempt: {
    subject: () => "Someone tried to sign up with your email address",
    component: SignUpAttempt,
  } satisfies Entry<SignUpAttemptProps>,
  invitation: {
    subject: (p) => `${p.inviterName} invited you to ${p.organizationName} on Switchboard`,
    component: Invitation,
  } satisfies Entry<InvitationProps>,
  organization_approved: {
    subject: (p) => `${p.organizationName} is approved on Switchboard`,
    component: OrganizationApproved,
  } satisfies Entry<OrganizationStatusProps>,
  organization_rejected: {
    subject: (p) => `${p.organizationName} was not approved`,
    component: OrganizationRejected,
  } satisfies Entry<OrganizationStatusProps>,
  organization_suspended: {
    subject: (p) => `${p.organizationName} is suspended`,
    component: OrganizationSuspended,
  } satisfies Entry<OrganizationStatusProps>,
  organization_reactivated: {
    subject: (p) => `${p.organizationName} is active again`,
    component: OrganizationReactivated,
  } satisfies Entry<OrganizationStatusProps>,
  offer_terms_changed: {
    subject: (p) => `${p.offerTitle} changed its terms`,
    component: OfferTermsChanged,
  } satisfies Entry<OfferTermsChangedProps>,
  offer_approved: {
    subject: (p) => `${p.offerTitle} is live on Switchboard`,
    component: OfferApproved,
  } satisfies Entry<OfferReviewedProps>,
  offer_sent_back: {
    subject: (p) => `${p.offerTitle} needs changes before it goes live`,
    component: OfferSentBack,
  } satisfies Entry<OfferReviewedProps>,
  partner_notice: { subject: (p) => p.heading, component: PartnerNotice } satisfies Entry<PartnerNoticeProps>,
  conversion_digest: {
    subject: (p) => `${p.total === 1 ? "A conversion" : `${p.total} conversions`} changed for ${p.organizationName}`,
    component: ConversionDigest,
  } satisfies Entry<ConversionDigestProps>,
  invoice_issued: {
    subject: (p) => `Invoice ${p.invoiceNumber} for ${p.merchantName}: ${p.total}`,
    component: InvoiceIssued,
  } satisfies Entry<InvoiceIssuedProps>,
  invoice_payment: {
    subject: (p) => (p.paid ? `Invoice ${p.invoiceNumber} is paid` : `Payment of ${p.amount} received for invoice ${p.invoiceNumber}`),
    component: InvoicePayment,
  } satisfies Entry<InvoicePaymentProps>,
  invoice_void: { subject: (p) => `Invoice ${p.invoiceNumber} was voided`, component: InvoiceVoid } satisfies Entry<InvoiceVoidProps>,
  invoice_overdue: {
    subject: (p) => `Invoice ${p.invoiceNumber} is overdue`,
    component: InvoiceOverdue,
  } satisfies Entry<InvoiceOverdueProps>,
  payout_created: { subject: (p) => `A payout of ${p.amount} is on its way`, component: PayoutCreated } satisfies Entry<PayoutNoticeProps>,
  payout_paid: { subject: (p) => `Your payout of ${p.amount} was sent`, component: PayoutPaid } satisfies Entry<PayoutNoticeProps>,
  payout_failed: {
    subject: (p) => `Your payout of ${p.amount} could not be sent`,
    component: PayoutFailed,
  } satisfies Entry<PayoutNoticeProps>,
};

export type EmailTemplate = keyof typeof emailCatalog;
export type EmailProps<T extends EmailTemplate> = Parameters<(typeof emailCatalog)[T]["component"]>[0];

export async function renderEmail<T extends EmailTemplate>(template: T, props: EmailProps<T>) {
  const entry = emailCatalog[template] as unknown as Entry<EmailProps<T>>;
  const element = entry.component(props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: entry.subject(props), html, text };
}
