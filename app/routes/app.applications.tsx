import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import { TextField } from "~/components/form";
import { Alert, Badge, Button, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { formIntent, handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import {
  decideApplication,
  listMerchantApplications,
  listPublisherApplications,
  setAutoApprove,
} from "~/modules/applications/applications.server";
import { countryName } from "~/lib/countries";
import { APPLICATION_STATUS_LABELS } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "Applications · Switchboard" }];

const STATUSES = ["pending", "approved", "rejected"] as const;
const decisionSchema = z.object({
  applicationId: z.uuid("Unknown application"),
  decision: z.enum(["approve", "reject"], { error: "Unknown decision" }),
  reason: z.string({ error: "Write the reason as text" }).trim().max(1000, "Keep the reason under 1,000 characters").optional(),
});
const autoApproveSchema = z.object({
  offerId: z.uuid("Unknown offer"),
  autoApprove: z.enum(["true", "false"], { error: "Unknown setting" }).transform((v) => v === "true"),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  if (tenant.organization.kind === "publisher") {
    return { kind: "publisher" as const, mine: await listPublisherApplications(context.db, tenant), inbox: [], status: "pending" as const };
  }
  const status = z
    .enum(STATUSES)
    .catch("pending")
    .parse(new URL(request.url).searchParams.get("status") ?? "pending");
  return {
    kind: "merchant" as const,
    mine: [],
    inbox: await orErrorResponse(() => listMerchantApplications(context.db, tenant, status)),
    status,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const formData = await request.formData();
  const intent = formIntent(formData, ["decide", "auto-approve"]);
  const result = await run();
  if (!result.ok) return result.response;
  return { ...result.reply, done: true };

  function run() {
    switch (intent) {
      case "decide":
        return handleForm(formData, decisionSchema, (input) =>
          decideApplication(context.db, tenant, input, { appUrl: context.config.APP_URL }),
        );
      case "auto-approve":
        return handleForm(formData, autoApproveSchema, (input) => setAutoApprove(context.db, tenant, input.offerId, input.autoApprove));
    }
  }
}

export default function Applications() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = Object.entries(result?.error ?? {}).flatMap(([name, messages]) => (name === "reason" ? [] : (messages ?? [])));
  if (data.kind === "publisher") {
    return (
      <>
        <PageHeader title="Your applications" />
        <Card>
          {data.mine.length ? (
            <Table columns={["Offer", "Merchant", "Status", "Applied", "Reason"]}>
              {data.mine.map((a) => (
                <tr key={a.application.id}>
                  <td className="py-3">
                    <Link to={`/app/marketplace/${a.application.offerId}`} className="font-medium text-indigo-600 hover:underline">
                      {a.offerTitle}
                    </Link>
                  </td>
                  <td className="py-3">{a.merchantName}</td>
                  <td className="py-3">
                    <Badge tone={a.application.status} label={APPLICATION_STATUS_LABELS[a.application.status]} />
                  </td>
                  <td className="py-3 text-zinc-600">{formatDate(a.application.createdAt)}</td>
                  <td className="py-3 text-zinc-600">{a.application.decisionReason ?? ""}</td>
                </tr>
              ))}
            </Table>
          ) : (
            <p className="py-6 text-center text-sm text-zinc-500">
              No applications yet.{" "}
              <Link to="/app/marketplace" className="text-indigo-600">
                Find offers
              </Link>
            </p>
          )}
        </Card>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Applications" description="Publishers who want to promote your offers." />
      <nav className="mb-4 flex gap-2 text-sm" aria-label="Application status">
        {STATUSES.map((s) => (
          <Link
            key={s}
            to={`?status=${s}`}
            className={s === data.status ? "rounded-md bg-zinc-200 px-3 py-1 font-semibold" : "px-3 py-1 text-zinc-600"}
          >
            {APPLICATION_STATUS_LABELS[s]}
          </Link>
        ))}
      </nav>
      <div className="space-y-4">
        {result && "done" in result ? <Alert tone="success">Saved. The publisher was emailed.</Alert> : null}
        {errors.length ? <Alert tone="error">{errors.join(" ")}</Alert> : null}
        {data.inbox.length === 0 ? (
          <p className="py-6 text-center text-sm text-zinc-500">No {APPLICATION_STATUS_LABELS[data.status].toLowerCase()} applications.</p>
        ) : null}
        {data.inbox.map((a) => (
          <Card
            key={a.application.id}
            title={`${a.publisher.name} → ${a.offer.title}`}
            description={`Applied ${formatDate(a.application.createdAt)}`}
          >
            <div className="grid gap-4 text-sm sm:grid-cols-2">
              <div className="space-y-2">
                {a.profile.kind === "publisher" ? (
                  <>
                    <p>{a.profile.profile.description || "No description."}</p>
                    <p className="text-zinc-600">
                      {[...a.profile.profile.websites, ...a.profile.profile.socialChannels.map((c) => c.url)].join(" · ")}
                    </p>
                    <p className="text-zinc-600">
                      Niches: {a.profile.niches.map((n) => n.name).join(", ") || "—"} ·{" "}
                      {a.profile.profile.country ? countryName(a.profile.profile.country) : ""}
                    </p>
                  </>
                ) : null}
                <p className="text-zinc-600">
                  In the network: {a.activePartnerships} active partnerships, {a.approvedElsewhere} applications approved,{" "}
                  {a.rejectedElsewhere} declined.
                </p>
              </div>
              <div className="space-y-2">
                {a.application.message ? <p className="italic">“{a.application.message}”</p> : null}
                {a.application.answers.map((qa) => (
                  <p key={qa.question}>
                    <strong>{qa.question}</strong> {qa.answer}
                  </p>
                ))}
                {a.application.decisionReason ? <p className="text-zinc-600">Reason: {a.application.decisionReason}</p> : null}
              </div>
            </div>
            {a.application.status === "pending" ? (
              <div className="mt-4 flex flex-wrap items-end gap-3">
                <Form method="post">
                  <input type="hidden" name="applicationId" value={a.application.id} />
                  <input type="hidden" name="intent" value="decide" />
                  <input type="hidden" name="decision" value="approve" />
                  <Button>Approve</Button>
                </Form>
                <RejectForm applicationId={a.application.id} result={result} />
                <Form method="post" className="ml-auto">
                  <input type="hidden" name="intent" value="auto-approve" />
                  <input type="hidden" name="offerId" value={a.offer.id} />
                  <input type="hidden" name="autoApprove" value={String(!a.offer.autoApprove)} />
                  <Button variant="ghost">
                    {a.offer.autoApprove ? "Stop auto-approving this offer" : "Auto-approve this offer from now on"}
                  </Button>
                </Form>
              </div>
            ) : null}
          </Card>
        ))}
      </div>
    </>
  );
}

/** Rejecting one application: the reason the publisher reads, with its error under the field. */
function RejectForm({
  applicationId,
  result,
}: {
  applicationId: string;
  result: (SubmissionResult<string[]> & { done?: unknown }) | undefined;
}) {
  const [form, fields] = useForm<{ reason: string }>({
    id: `reject-${applicationId}`,
    lastResult: result?.initialValue?.applicationId === applicationId ? result : undefined,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-start gap-2">
      <input type="hidden" name="applicationId" value={applicationId} />
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="decision" value="reject" />
      <TextField field={fields.reason} label="Reason" />
      <Button variant="danger" className="mt-7">
        Reject
      </Button>
    </Form>
  );
}
