import { EmailButton, EmailLayout, LinkFallback, Paragraph } from "./layout";

export type ResetPasswordProps = { name: string; url: string };

export function ResetPassword({ name, url }: ResetPasswordProps) {
  return (
    <EmailLayout preview="Reset your password" heading="Reset your password">
      <Paragraph>
        Hi {name}, someone asked to reset the password of your account. If it was you, choose a new password within the next hour. If not,
        ignore this email: your password stays as it is.
      </Paragraph>
      <EmailButton href={url}>Choose a new password</EmailButton>
      <LinkFallback href={url} />
    </EmailLayout>
  );
}
