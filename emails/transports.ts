import { Resend } from "resend";

export type OutgoingEmail = { id: number; to: string; subject: string; html: string; text: string };

export type EmailTransport = {
  name: "resend" | "local";
  /** Returns the provider's message id, when it has one; throws on failure. */
  send(email: OutgoingEmail): Promise<string | null>;
};

export function resendTransport(apiKey: string, from: string): EmailTransport {
  const resend = new Resend(apiKey);
  return {
    name: "resend",
    async send(email) {
      const { data, error } = await resend.emails.send(
        { from, to: email.to, subject: email.subject, html: email.html, text: email.text },
        // The email id makes a retry after a lost response a no-op at Resend.
        { idempotencyKey: `switchboard-email-${email.id}` },
      );
      if (error) throw new Error(`Resend: ${error.name}: ${error.message}`);
      return data?.id ?? null;
    },
  };
}

/** Delivery into the local mailbox: the email row itself, which staff read in the console. */
export const localMailboxTransport: EmailTransport = {
  name: "local",
  send: async () => null,
};
