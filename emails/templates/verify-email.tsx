import { EmailButton, EmailLayout, LinkFallback, Paragraph } from "./layout";

export type VerifyEmailProps = { name: string; url: string };

export function VerifyEmail({ name, url }: VerifyEmailProps) {
  return (
    <EmailLayout preview="Confirm your email address" heading="Confirm your email address">
      <Paragraph>Hi {name}, please confirm that this is your email address. The link is valid for 48 hours.</Paragraph>
      <EmailButton href={url}>Verify email</EmailButton>
      <LinkFallback href={url} />
    </EmailLayout>
  );
}
