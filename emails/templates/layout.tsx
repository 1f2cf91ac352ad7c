import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

const body = { backgroundColor: "#f4f4f5", fontFamily: "Helvetica, Arial, sans-serif", padding: "24px 0" };
const card = { backgroundColor: "#ffffff", borderRadius: "8px", margin: "0 auto", maxWidth: "520px", padding: "32px" };
const button = {
  backgroundColor: "#4f46e5",
  borderRadius: "6px",
  color: "#ffffff",
  display: "inline-block",
  fontWeight: 600,
  padding: "12px 20px",
  textDecoration: "none",
};

export function EmailLayout(props: { preview: string; heading: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={body}>
        <Container style={card}>
          <Text style={{ color: "#4f46e5", fontWeight: 700, margin: 0 }}>Switchboard</Text>
          <Heading as="h1" style={{ fontSize: "22px", color: "#18181b" }}>
            {props.heading}
          </Heading>
          {props.children}
          <Hr style={{ borderColor: "#e4e4e7", margin: "28px 0 12px" }} />
          <Text style={{ color: "#71717a", fontSize: "12px" }}>
            You receive this email because of your account on the Switchboard affiliate network.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export function EmailButton(props: { href: string; children: ReactNode }) {
  return (
    <Section style={{ margin: "24px 0" }}>
      <Button href={props.href} style={button}>
        {props.children}
      </Button>
    </Section>
  );
}

export function Paragraph(props: { children: ReactNode }) {
  return <Text style={{ color: "#3f3f46", fontSize: "15px", lineHeight: "24px" }}>{props.children}</Text>;
}

export function LinkFallback(props: { href: string }) {
  return (
    <Text style={{ color: "#71717a", fontSize: "13px", wordBreak: "break-all" }}>Or paste this link into your browser: {props.href}</Text>
  );
}
