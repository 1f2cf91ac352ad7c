import { EmailButton, EmailLayout, LinkFallback, Paragraph } from "./layout";

export type InvitationProps = { inviterName: string; organizationName: string; role: string; url: string };

export function Invitation({ inviterName, organizationName, role, url }: InvitationProps) {
  return (
    <EmailLayout preview={`Join ${organizationName} on Switchboard`} heading={`Join ${organizationName}`}>
      <Paragraph>
        {inviterName} invited you to join {organizationName} on Switchboard as {role === "admin" ? "an" : "a"} {role}. The invitation is
        valid for 7 days.
      </Paragraph>
      <EmailButton href={url}>Accept invitation</EmailButton>
      <LinkFallback href={url} />
    </EmailLayout>
  );
}
