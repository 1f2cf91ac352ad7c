import { EmailButton, EmailLayout, LinkFallback, Paragraph } from "./layout";

export type SignUpAttemptProps = { name: string; logInUrl: string; resetUrl: string };

/** Sent to an account's holder when someone signs up with its address, instead of saying so on the page. */
export function SignUpAttempt({ name, logInUrl, resetUrl }: SignUpAttemptProps) {
  return (
    <EmailLayout preview="Someone tried to sign up with your address" heading="You already have an account">
      <Paragraph>
        Hi {name}, someone just tried to create a Switchboard account with this email address, which already has one. If it was you, log in
        instead. If it was not you, ignore this email: nothing changed.
      </Paragraph>
      <EmailButton href={logInUrl}>Log in</EmailButton>
      <Paragraph>Forgot your password? Choose a new one within the next hour.</Paragraph>
      <EmailButton href={resetUrl}>Choose a new password</EmailButton>
      <LinkFallback href={resetUrl} />
    </EmailLayout>
  );
}
