import { EmailButton, EmailLayout, Paragraph } from "./layout";

/** `amount` is formatted already ("$1,234.56"): the email shows it as the page does. */
export type PayoutNoticeProps = { organizationName: string; amount: string; detail?: string | null; url: string };

export function PayoutCreated({ organizationName, amount, url }: PayoutNoticeProps) {
  return (
    <EmailLayout preview={`A payout of ${amount} is on its way`} heading={`A payout of ${amount} is on its way`}>
      <Paragraph>
        The network started a payout of {amount} to {organizationName}. You will get another email when it is sent.
      </Paragraph>
      <EmailButton href={url}>See the payout</EmailButton>
    </EmailLayout>
  );
}

export function PayoutPaid({ organizationName, amount, detail, url }: PayoutNoticeProps) {
  return (
    <EmailLayout preview={`Your payout of ${amount} was sent`} heading={`Your payout of ${amount} was sent`}>
      <Paragraph>
        The network sent {amount} to {organizationName}. Payment reference: {detail}.
      </Paragraph>
      <EmailButton href={url}>See the payout</EmailButton>
    </EmailLayout>
  );
}

export function PayoutFailed({ organizationName, amount, detail, url }: PayoutNoticeProps) {
  return (
    <EmailLayout preview={`Your payout of ${amount} could not be sent`} heading={`Your payout of ${amount} could not be sent`}>
      <Paragraph>
        The network could not send {amount} to {organizationName}. Reason: {detail}.
      </Paragraph>
      <Paragraph>The amount is back in your available balance and goes out with the next payout. Check your payout settings.</Paragraph>
      <EmailButton href={url}>Check your payout settings</EmailButton>
    </EmailLayout>
  );
}
