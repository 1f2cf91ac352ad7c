import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import { z } from "zod";
import { DomainError } from "~/modules/errors.server";
// Installs the human fallback messages before any form is parsed on the server.
import "./zod-messages";
import { shapedLikeForm } from "./form-values";

/**
 * Parses the form with the schema and runs the domain call. Bad input answers 422 with field errors,
 * a DomainError answers with its status and message (a 404 becomes the not-found page), anything
 * else is a real failure and propagates.
 */
export async function handleForm<S extends z.ZodType, R>(formData: FormData, schema: S, run: (value: z.output<S>) => Promise<R>) {
  const submission = readSubmission(formData, schema);
  // The page refills its form from the reply; `intent` stays so it knows which form that is (intentOf).
  const refill = (reply: SubmissionResult<string[]>): SubmissionResult<string[]> => {
    const sent = reply.initialValue;
    if (!sent) return reply;
    const shaped = shapedLikeForm(schema, sent) as typeof sent;
    return { ...reply, initialValue: sent.intent === undefined ? shaped : { ...shaped, intent: sent.intent } };
  };
  if (submission.status !== "success") return { ok: false as const, response: data(refill(submission.reply()), { status: 422 }) };
  try {
    return { ok: true as const, value: await run(submission.value), reply: submission.reply({ resetForm: true }) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.status === 404) throw new Response(error.message, { status: 404 });
    const reply = error.field
      ? submission.reply({ fieldErrors: { [error.field]: [error.message] } })
      : submission.reply({ formErrors: [error.message] });
    return { ok: false as const, response: data(refill(reply), { status: error.status }) };
  }
}

/**
 * Conform throws on what no form of ours sends (a malformed field path, a list intent that is not
 * JSON): that is a bad request, not a failure of ours.
 */
function readSubmission<S extends z.ZodType>(formData: FormData, schema: S) {
  try {
    return parseWithZod(formData, { schema });
  } catch {
    throw new Response("This form could not be read.", { status: 400 });
  }
}

/** Runs a domain call outside a form: a DomainError becomes a response with its status and message. */
export async function orErrorResponse<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

/** Which form of a page with several was sent, for the action to switch on; any other value is a 400. */
export function formIntent<const T extends readonly [string, ...string[]]>(formData: FormData, intents: T): T[number] {
  const intent = z.enum(intents).safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  return intent.data;
}
