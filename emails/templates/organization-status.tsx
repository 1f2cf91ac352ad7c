import { EmailButton, EmailLayout, Paragraph } from "./layout";

export type OrganizationStatusProps = { organizationName: string; reason?: string | null; url: string };

export function OrganizationApproved({ organizationName, url }: OrganizationStatusProps) {
  return (
    <EmailLayout preview={`${organizationName} is approved`} heading={`${organizationName} is approved`}>
      <Paragraph>Good news: the network team reviewed {organizationName} and approved it. Your account is active.</Paragraph>
      <EmailButton href={url}>Open your dashboard</EmailButton>
    </EmailLayout>
  );
}

export function OrganizationRejected({ organizationName, reason, url }: OrganizationStatusProps) {
  return (
    <EmailLayout preview={`${organizationName} was not approved`} heading={`${organizationName} was not approved`}>
      <Paragraph>The network team reviewed {organizationName} and could not approve it.</Paragraph>
      <Paragraph>Reason: {reason}</Paragraph>
      <Paragraph>You can update your profile and reply to this email if you think this is a mistake.</Paragraph>
      <EmailButton href={url}>Review your profile</EmailButton>
    </EmailLayout>
  );
}

export function OrganizationSuspended({ organizationName, reason, url }: OrganizationStatusProps) {
  return (
    <EmailLayout preview={`${organizationName} is suspended`} heading={`${organizationName} is suspended`}>
      <Paragraph>The network team suspended {organizationName}. While suspended it cannot use the network.</Paragraph>
      <Paragraph>Reason: {reason}</Paragraph>
      <EmailButton href={url}>Open Switchboard</EmailButton>
    </EmailLayout>
  );
}

export function OrganizationReactivated({ organizationName, url }: OrganizationStatusProps) {
  return (
    <EmailLayout preview={`${organizationName} is active again`} heading={`${organizationName} is active again`}>
      <Paragraph>The network team reactivated {organizationName}. Everything works as before.</Paragraph>
      <EmailButton href={url}>Open your dashboard</EmailButton>
    </EmailLayout>
  );
}
