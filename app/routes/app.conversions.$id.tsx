import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import {
  ConversionAttribution,
  ConversionBreakdown,
  ConversionDecision,
  ConversionDetails,
  ConversionHistory,
  ConversionStatus,
  ConversionTerms,
  RejectionFields,
} from "~/components/conversion";
import { FormErrors } from "~/components/form";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { intentOf } from "~/lib/forms";
import { formIntent, handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant, uuidParam } from "~/lib/guards.server";
import { CONVERSION_STATUS_LABELS } from "~/lib/labels";
import { reviewConversion } from "~/modules/tracking/conversion-review.server";
import { conversionPage } from "~/modules/tracking/conversions.server";
import { CONVERSION_NOTE_MAX_LENGTH, rejectConversionSchema } from "~/modules/tracking/schemas";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Order ${data?.conversion.orderId ?? ""} · Switchboard` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Conversion");
  return { kind: tenant.organization.kind, ...(await orErrorResponse(() => conversionPage(context.db, tenant, id))) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const id = uuidParam(params.id, "Conversion");
  const formData = await request.formData();
  const intent = formIntent(formData, ["approve", "reject"]);
  const result =
    intent === "approve"
      ? await handleForm(formData, z.object({}), () => reviewConversion(context.db, tenant, id, { decision: "approve" }))
      : await handleForm(formData, rejectConversionSchema, (input) =>
          reviewConversion(context.db, tenant, id, { decision: "reject", ...input }),
        );
  if (!result.ok) return result.response;
  return { ...result.reply, done: intent, now: result.value.status };
}

export default function ConversionPage() {
  const { kind, conversion: c, history, canReview } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm<z.input<typeof rejectConversionSchema>, z.output<typeof rejectConversionSchema>>({
    id: "reject",
    lastResult: intentOf(result) === "reject" ? result : undefined,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: rejectConversionSchema }),
  });
  const refused = intentOf(result) === "approve" && result && "error" in result ? Object.values(result.error ?? {}).flat() : [];
  return (
    <>
      <PageHeader
        title={`Order ${c.orderId}`}
        description={`${c.event} on ${c.offerTitle} · ${kind === "merchant" ? `referred by ${c.publisherName}` : `paid by ${c.merchantName}`}`}
        actions={<ConversionStatus conversion={c} />}
      />
      <div className="space-y-6">
        {c.isTest ? (
          <Alert tone="info">A test conversion, made with the integration page's test tool: it moves like a real one, but no money.</Alert>
        ) : null}
        {result && "done" in result ? (
          <Alert tone="success">
            The conversion is {CONVERSION_STATUS_LABELS[result.now].toLowerCase()}. The publisher will be told by email.
          </Alert>
        ) : null}
        {refused.length ? <Alert tone="error">{refused.join(" ")}</Alert> : null}
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Decision" description={kind === "publisher" ? "The merchant's decision, with its reason and note." : undefined}>
            <ConversionDecision conversion={c} viewer={kind} />
            {canReview ? (
              <div className="mt-4 space-y-4 border-t border-zinc-100 pt-4">
                {c.hold === "held" ? null : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="approve" />
                    <Button disabled={busy}>Approve now</Button>
                  </Form>
                )}
                <Form method="post" {...getFormProps(form)} className="space-y-3">
                  <input type="hidden" name="intent" value="reject" />
                  <RejectionFields reason={fields.reason} note={fields.note} noteMaxLength={CONVERSION_NOTE_MAX_LENGTH} />
                  <FormErrors errors={form.errors} />
                  <Button variant="danger" disabled={busy}>
                    Reject
                  </Button>
                </Form>
              </div>
            ) : null}
          </Card>
          <Card title="History" description="Every change, who made it, and why.">
            <ConversionHistory history={history} viewer={kind} />
          </Card>
          <Card title="Amounts" description="The same breakdown the merchant, the publisher and the network see.">
            <ConversionBreakdown conversion={c} />
          </Card>
          <Card title="Terms used">
            <ConversionTerms conversion={c} />
          </Card>
          <Card title="Conversion">
            <ConversionDetails conversion={c} viewer={kind} />
          </Card>
          <Card title="Attribution">
            <ConversionAttribution conversion={c} />
          </Card>
        </div>
        <Link to="/app/conversions" className="inline-block text-sm font-semibold text-indigo-600">
          ← All conversions
        </Link>
      </div>
    </>
  );
}
