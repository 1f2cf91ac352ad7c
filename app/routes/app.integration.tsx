import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import { CopyField } from "~/components/copy-field";
import { FormErrors, SelectField, TextField } from "~/components/form";
import { Alert, Badge, Button, Card, DescriptionList, PageHeader, Table, formatDate } from "~/components/ui";
import { intentOf } from "~/lib/forms";
import { formIntent, handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import {
  CONVERSION_REASON_LABELS,
  CONVERSION_STATUS_LABELS,
  POSTBACK_AUTHENTICATION_LABELS,
  POSTBACK_OUTCOME_LABELS,
  labelOf,
} from "~/lib/labels";
import {
  POSTBACK_LOG_SHOWN,
  getIntegration,
  rotatePostbackToken,
  rotateSigningSecret,
  sendTestPostback,
} from "~/modules/tracking/integration.server";
import { testPostbackSchema } from "~/modules/tracking/schemas";
import type { TestPostbackResult } from "~/modules/tracking/engine-types";

export const meta: MetaFunction = () => [{ title: "Integration · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const integration = await orErrorResponse(() => getIntegration(context.db, tenant));
  return {
    ...integration,
    postbackUrl: `${context.config.APP_URL}/postback`,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const formData = await request.formData();
  const intent = formIntent(formData, ["rotate-token", "rotate-secret", "test"]);
  switch (intent) {
    case "rotate-token": {
      const result = await handleForm(formData, z.object({}), () => rotatePostbackToken(context.db, tenant));
      return result.ok ? { ...result.reply, done: intent, token: result.value.token } : result.response;
    }
    case "rotate-secret": {
      const result = await handleForm(formData, z.object({}), () => rotateSigningSecret(context.db, tenant));
      return result.ok ? { ...result.reply, done: intent, secret: result.value.secret } : result.response;
    }
    case "test": {
      const result = await handleForm(formData, testPostbackSchema, (input) =>
        sendTestPostback(context.db, tenant, context.tracking, input),
      );
      return result.ok ? { ...result.reply, done: intent, test: result.value } : result.response;
    }
  }
}

export default function Integration() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const intent = intentOf(result);
  const rotateErrors =
    (intent === "rotate-token" || intent === "rotate-secret") && result?.error
      ? Object.values(result.error).flatMap((messages) => messages ?? [])
      : [];
  const currency = data.testPartnerships[0]?.currency ?? "USD";
  return (
    <>
      <PageHeader
        title="Integration"
        description="Your server tells Switchboard about each order with a postback: a request to the address below, authenticated by your token or a signature."
      />
      <div className="space-y-6">
        <Card title="Postback endpoint">
          <CopyField id="postback-url" label="GET or POST" value={data.postbackUrl} />
        </Card>
        <Card
          title="Credentials"
          description="Use one of the two. Each is shown once, when it is made: store it in your server's secrets. Making a new one stops the old one at once."
        >
          <div className="space-y-4">
            <FormErrors errors={rotateErrors} />
            {result && "token" in result ? (
              <Alert tone="success">
                <p className="mb-2">Your new postback token. Copy it now: it is not shown again.</p>
                <CopyField id="new-token" label="Postback token" value={result.token} />
              </Alert>
            ) : null}
            {result && "secret" in result ? (
              <Alert tone="success">
                <p className="mb-2">Your new signing secret. Copy it now: it is not shown again.</p>
                <CopyField id="new-secret" label="Signing secret" value={result.secret} />
              </Alert>
            ) : null}
            <DescriptionList
              items={[
                [
                  "Postback token",
                  data.credentials.tokenHint && data.credentials.tokenRotatedAt ? (
                    <span key="token">
                      <code>{data.credentials.tokenHint}…</code>, made {formatDate(data.credentials.tokenRotatedAt)}
                    </span>
                  ) : (
                    "None yet"
                  ),
                ],
                ["Signing secret", data.credentials.secretRotatedAt ? `Made ${formatDate(data.credentials.secretRotatedAt)}` : "None yet"],
              ]}
            />
            {data.canManageCredentials ? (
              <div className="flex flex-wrap gap-3">
                <RotateButton intent="rotate-token" label={data.credentials.tokenHint ? "Replace the token" : "Create a token"} />
                <RotateButton
                  intent="rotate-secret"
                  label={data.credentials.hasSecret ? "Replace the signing secret" : "Create a signing secret"}
                />
              </div>
            ) : (
              <p className="text-sm text-zinc-500">Only owners and admins can create or replace credentials.</p>
            )}
          </div>
        </Card>
        <Examples postbackUrl={data.postbackUrl} merchantId={data.merchantId} currency={currency} />
        <Card
          title="Test tool"
          description="Sends a real click on the partnership's link and a real postback for it, marked as a test: it shows in lists with a Test badge and moves no money."
        >
          {data.testPartnerships.length ? (
            <TestForm
              partnerships={data.testPartnerships}
              orderId={data.testOrderId}
              result={intent === "test" && result && !("done" in result) ? result : undefined}
            />
          ) : (
            <p className="text-sm text-zinc-500">You need an active partnership to send a test postback.</p>
          )}
          {result && "test" in result ? <TestAnswer test={result.test} /> : null}
        </Card>
        <Card
          title="Postback log"
          description={`The latest ${POSTBACK_LOG_SHOWN} postbacks your server sent, newest first, with what Switchboard answered.`}
        >
          <PostbackLog log={data.log} />
        </Card>
      </div>
    </>
  );
}

function RotateButton({ intent, label }: { intent: string; label: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <Button variant="secondary">{label}</Button>
    </Form>
  );
}

function Code({ children }: { children: string }) {
  return <pre className="overflow-x-auto rounded-md bg-zinc-900 p-4 text-xs leading-relaxed text-zinc-100">{children}</pre>;
}

function Examples({ postbackUrl, merchantId, currency }: { postbackUrl: string; merchantId: string; currency: string }) {
  const order = "order_id=ORDER-1001&amount=49.90&currency=" + currency + "&event=sale&status=pending&customer_id=CUSTOMER-42";
  const curl = `curl "${postbackUrl}?token=YOUR_TOKEN&click_id=CLICK_ID&${order}"`;
  const coupon = `curl "${postbackUrl}?token=YOUR_TOKEN&coupon=SUMMER25&${order}"`;
  const refund = `curl "${postbackUrl}?token=YOUR_TOKEN&click_id=CLICK_ID&order_id=ORDER-1001&amount=49.90&currency=${currency}&event=sale&status=reversed"`;
  const signed = `import { createHmac } from "node:crypto";

const secret = process.env.SWITCHBOARD_SIGNING_SECRET; // sbs_…
const body = new URLSearchParams({
  merchant: "${merchantId}",
  click_id: clickId, // from the click_id parameter on your landing page
  order_id: "ORDER-1001",
  amount: "49.90",
  currency: "${currency}",
  event: "sale",
  status: "pending",
  customer_id: "CUSTOMER-42",
}).toString();
const t = Math.floor(Date.now() / 1000);
const v1 = createHmac("sha256", secret).update(\`\${t}.\${body}\`).digest("hex");

const response = await fetch("${postbackUrl}", {
  method: "POST",
  headers: {
    "Content-Type": "application/x-www-form-urlencoded",
    "Switchboard-Signature": \`t=\${t},v1=\${v1}\`,
  },
  body,
});
console.log(response.status, await response.json());`;
  return (
    <Card
      title="Examples"
      description="amount is a decimal in the offer's currency; event defaults to sale, status to pending. An order id counts once per event: sending it again returns the first answer."
    >
      <div className="space-y-4 text-sm">
        <p>With your token, after a click (the landing page received the click id):</p>
        <Code>{curl}</Code>
        <p>With a coupon code instead of a click:</p>
        <Code>{coupon}</Code>
        <p>A refund of that order:</p>
        <Code>{refund}</Code>
        <p>
          Signed with your signing secret (Node.js): the header holds the time and an HMAC-SHA256 of <code>{"<time>.<body>"}</code>, and is
          accepted for 5 minutes.
        </p>
        <Code>{signed}</Code>
      </div>
    </Card>
  );
}

type TestPartnership = { id: string; label: string; currency: string; events: string[] };
type TestFields = { partnershipId: string; orderId: string; amount: string; event: string };

function TestForm({
  partnerships,
  orderId,
  result,
}: {
  partnerships: TestPartnership[];
  orderId: string;
  result: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useForm<TestFields>({
    id: "test-postback",
    lastResult: result,
    defaultValue: { partnershipId: partnerships[0]!.id, orderId, amount: "49.90", event: partnerships[0]!.events[0] ?? "sale" },
  });
  const events = [...new Set(partnerships.flatMap((p) => p.events))].sort();
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <input type="hidden" name="intent" value="test" />
      <FormErrors errors={form.errors} />
      <SelectField
        field={fields.partnershipId}
        label="Partnership"
        options={partnerships.map((p) => ({ value: p.id, label: `${p.label} (${p.currency})` }))}
      />
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField field={fields.orderId} label="Order id" />
        <TextField field={fields.amount} label="Sale amount, in the offer's currency" />
        <SelectField field={fields.event} label="Event" options={events.map((e) => ({ value: e, label: e }))} />
      </div>
      <Button>Send a test postback</Button>
    </Form>
  );
}

const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
const text = (value: unknown) => (typeof value === "string" ? value : null);

/** What the engine answered, in a sentence, read defensively from its JSON. */
function AnswerSummary({ body }: { body: unknown }) {
  const conversion = record(record(body)?.conversion);
  const error = record(record(body)?.error);
  if (conversion) {
    const status = text(conversion.status);
    const reason = text(conversion.reason);
    const id = text(conversion.id);
    return (
      <p>
        Conversion recorded: {status ? labelOf(CONVERSION_STATUS_LABELS, status).toLowerCase() : "no status"}
        {reason ? ` (${labelOf(CONVERSION_REASON_LABELS, reason)})` : ""}.{" "}
        {id ? (
          <Link to={`/app/conversions/${id}`} className="font-semibold text-indigo-600">
            Open it
          </Link>
        ) : null}
      </p>
    );
  }
  if (error) return <p>Refused: {text(error.message) ?? labelOf(POSTBACK_OUTCOME_LABELS, text(error.code) ?? "")}</p>;
  return <p>The engine answered without a conversion.</p>;
}

function TestAnswer({ test }: { test: TestPostbackResult }) {
  const ok = test.answer.status < 300;
  return (
    <div className="mt-6 space-y-4 border-t border-zinc-100 pt-6">
      <Alert tone={ok ? "success" : "error"}>
        <AnswerSummary body={test.answer.body} />
      </Alert>
      <DescriptionList
        items={[
          [
            "Click id",
            <code key="click" className="break-all text-xs">
              {test.clickId}
            </code>,
          ],
          [
            "Parameters sent",
            <dl key="params" className="space-y-1 text-xs">
              {Object.entries(test.parameters).map(([name, value]) => (
                <div key={name} className="break-all">
                  <dt className="inline text-zinc-500">{name}=</dt>
                  <dd className="inline">{value}</dd>
                </div>
              ))}
            </dl>,
          ],
          ["HTTP status", String(test.answer.status)],
        ]}
      />
      <Code>{JSON.stringify(test.answer.body, null, 2)}</Code>
    </div>
  );
}

type LogEntry = ReturnType<typeof useLoaderData<typeof loader>>["log"][number];

function PostbackLog({ log }: { log: LogEntry[] }) {
  if (!log.length) return <p className="text-sm text-zinc-500">No postbacks yet. Send one with the test tool above.</p>;
  return (
    <Table columns={["Time", "Method", "Parameters", "Authentication", "HTTP", "Outcome", "Message", ""]}>
      {log.map((entry) => (
        <tr key={entry.id} className="align-top">
          <td className="py-2 whitespace-nowrap">{formatDate(entry.receivedAt)}</td>
          <td className="py-2">{entry.method}</td>
          <td className="py-2">
            <span className="block max-w-xs space-y-0.5 text-xs">
              {Object.entries(entry.parameters).map(([name, value]) => (
                <span key={name} className="block break-all">
                  <span className="text-zinc-500">{name}=</span>
                  {value}
                </span>
              ))}
            </span>
          </td>
          <td className="py-2">{labelOf(POSTBACK_AUTHENTICATION_LABELS, entry.authentication)}</td>
          <td className="py-2">
            <Badge tone={entry.httpStatus < 300 ? "active" : "failed"} label={String(entry.httpStatus)} />
          </td>
          <td className="py-2">
            {labelOf(POSTBACK_OUTCOME_LABELS, entry.outcome)}
            {entry.replayed ? <span className="block text-xs text-zinc-500">replayed</span> : null}
          </td>
          <td className="py-2 text-zinc-700">{entry.message}</td>
          <td className="py-2 whitespace-nowrap">
            {entry.conversionId ? (
              <Link to={`/app/conversions/${entry.conversionId}`} className="text-indigo-600 hover:underline">
                Conversion
              </Link>
            ) : null}
          </td>
        </tr>
      ))}
    </Table>
  );
}
