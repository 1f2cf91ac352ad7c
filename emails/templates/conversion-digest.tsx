import { Section, Text } from "@react-email/components";
import { formatCount } from "~/lib/counts";
import { EmailButton, EmailLayout, Paragraph } from "./layout";

export type ConversionDigestProps = {
  organizationName: string;
  /** How many changes the email tells of. */
  total: number;
  /** One line per new status: "12 approved", with the money per currency ("$96.00 commission"). */
  groups: { label: string; count: number; money: string | null }[];
  /** The first changes, one line each: order, what happened, who did it, the reason and note. */
  examples: string[];
  /** Changes left out of the examples. */
  more: number;
  url: string;
};

const line = { color: "#3f3f46", fontSize: "14px", lineHeight: "20px", margin: "4px 0" };

/** Every conversion change an organization was not there for, since its last digest, in one email. */
export function ConversionDigest(p: ConversionDigestProps) {
  const heading = `${p.total === 1 ? "A conversion" : `${formatCount(p.total)} conversions`} changed`;
  return (
    <EmailLayout preview={`${heading} for ${p.organizationName}`} heading={heading}>
      <Paragraph>Since the last update, these conversions of {p.organizationName} changed:</Paragraph>
      <Section>
        {p.groups.map((g) => (
          <Text key={g.label} style={{ ...line, fontWeight: 600 }}>
            {formatCount(g.count)} {g.label}
            {g.money ? ` · ${g.money}` : ""}
          </Text>
        ))}
      </Section>
      <Section style={{ marginTop: "16px" }}>
        {p.examples.map((example, i) => (
          <Text key={i} style={line}>
            {example}
          </Text>
        ))}
        {p.more > 0 ? <Text style={line}>…and {formatCount(p.more)} more.</Text> : null}
      </Section>
      <EmailButton href={p.url}>See your conversions</EmailButton>
    </EmailLayout>
  );
}
