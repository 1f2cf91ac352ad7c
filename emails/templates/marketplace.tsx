import { EmailButton, EmailLayout, Paragraph } from "./layout";

export type OfferTermsChangedProps = { offerTitle: string; changes: string; before: string; after: string; url: string };

export function OfferTermsChanged(p: OfferTermsChangedProps) {
  return (
    <EmailLayout preview={`${p.offerTitle}: terms changed`} heading={`${p.offerTitle} changed its terms`}>
      <Paragraph>The merchant changed: {p.changes}.</Paragraph>
      <Paragraph>Payout before: {p.before}</Paragraph>
      <Paragraph>Payout now: {p.after}</Paragraph>
      <EmailButton href={p.url}>See the offer</EmailButton>
    </EmailLayout>
  );
}

export type OfferReviewedProps = { offerTitle: string; reason: string | null; url: string };

export function OfferApproved(p: OfferReviewedProps) {
  return (
    <EmailLayout preview={`${p.offerTitle} is live`} heading={`${p.offerTitle} is live`}>
      <Paragraph>The network team approved your offer. Publishers can now find it in the marketplace.</Paragraph>
      <EmailButton href={p.url}>Open the offer</EmailButton>
    </EmailLayout>
  );
}

export function OfferSentBack(p: OfferReviewedProps) {
  return (
    <EmailLayout preview={`${p.offerTitle} needs changes`} heading={`${p.offerTitle} needs changes`}>
      <Paragraph>The network team sent your offer back before it goes live.</Paragraph>
      <Paragraph>Reason: {p.reason}</Paragraph>
      <EmailButton href={p.url}>Edit and resubmit</EmailButton>
    </EmailLayout>
  );
}

export type PartnerNoticeProps = { heading: string; body: string; reason?: string | null; url: string; action: string };

/** One template for the application and partnership events each side is told about. */
export function PartnerNotice(p: PartnerNoticeProps) {
  return (
    <EmailLayout preview={p.heading} heading={p.heading}>
      <Paragraph>{p.body}</Paragraph>
      {p.reason ? <Paragraph>Reason: {p.reason}</Paragraph> : null}
      <EmailButton href={p.url}>{p.action}</EmailButton>
    </EmailLayout>
  );
}
