import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ConversionTable, RejectionFields } from "~/components/conversion";
import { FormErrors } from "~/components/form";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { handleForm } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { CONVERSION_STATUS_LABELS } from "~/lib/labels";
import { reviewSelection, type ReviewSummary } from "~/modules/tracking/conversion-review.server";
import { listConversions } from "~/modules/tracking/conversions.server";
import { SUB_MAX_LENGTH } from "~/modules/tracking/landing-url";
import { FilterInput, FilterSelect, labelOptions } from "~/components/filters";
import { Pager } from "~/components/pager";
import { CONVERSION_NOTE_MAX_LENGTH, readConversionQuery, reviewSelectionSchema } from "~/modules/tracking/schemas";

export const meta: MetaFunction = () => [{ title: "Conversions · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const { query, errors } = readConversionQuery(new URL(request.url).searchParams);
  const page = await listConversions(context.db, tenant, query);
  return { kind: tenant.organization.kind, query, errors, ...page };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const result = await handleForm(await request.formData(), reviewSelectionSchema, (selection) =>
    reviewSelection(context.db, tenant, selection),
  );
  return result.ok ? { ...result.reply, done: result.value } : result.response;
}

/** "12 approved, 2 could not change:", the problems listed after it. */
function summaryText(s: ReviewSummary) {
  const verb = s.decision === "approve" ? "approved" : "rejected";
  const parts = [`${s.changed} ${verb}`];
  if (s.unchanged) parts.push(`${s.unchanged} already ${verb}`);
  if (s.problems.length) parts.push(`${s.problems.length} could not change:`);
  return parts.join(", ");
}

/** Ticks or unticks every conversion checkbox of the form on the page (after hydration; before it, one by one). */
function SelectAll({ form }: { form: string }) {
  return (
    <label className="flex items-center gap-2 text-sm text-zinc-700">
      <input
        type="checkbox"
        className="size-4 rounded border-zinc-300 text-indigo-600"
        onChange={(event) => {
          const boxes = document.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][name="ids"][form="${form}"]`);
          for (const box of boxes) box.checked = event.currentTarget.checked;
        }}
      />
      Select all pending on this page
    </label>
  );
}

const SELECTION_FORM = "review-selection";

export default function Conversions() {
  const { kind, query, errors, rows, next, choices, canReview } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm<{ ids: string[]; intent: string; reason: string; note: string }>({
    id: SELECTION_FORM,
    lastResult: result,
  });
  const summary = result && "done" in result ? result.done : null;
  const filters = Object.entries(query).filter(([, v]) => typeof v === "string" && v !== "") as [string, string][];
  const older = new URLSearchParams([...filters, ...(next ? [["after", next]] : [])]);
  return (
    <>
      <PageHeader
        title="Conversions"
        description={
          kind === "merchant"
            ? "Every conversion on your offers, newest first: what the publisher earns, the network fee, and what you pay."
            : "Every conversion you referred, newest first, with its status and your commission."
        }
        actions={
          canReview ? (
            <Link to="/app/conversions/import" className="text-sm font-semibold text-indigo-600">
              Import decisions from a CSV file →
            </Link>
          ) : null
        }
      />
      <div className="space-y-4">
        {errors.length ? <Alert tone="warning">{errors.join(" ")}</Alert> : null}
        {summary ? (
          <Alert tone={summary.problems.length ? "warning" : "success"}>
            <p>{summaryText(summary)}</p>
            {summary.problems.length ? (
              <ul className="mt-1 list-disc pl-5">
                {summary.problems.map((p, i) => (
                  <li key={i}>
                    {p.orderId ? <span className="break-all">{`Order ${p.orderId} (${p.event}): `}</span> : null}
                    {p.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
        <Card>
          <Form method="get" className="mb-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end">
            <FilterSelect
              name="offer"
              label="Offer"
              value={query.offer}
              any="All offers"
              options={choices.offers.map((o) => ({ value: o.id, label: o.name }))}
            />
            <FilterSelect
              name="status"
              label="Status"
              value={query.status}
              any="Any status"
              options={labelOptions(CONVERSION_STATUS_LABELS)}
            />
            <FilterInput type="date" name="from" label="From" defaultValue={query.from} />
            <FilterInput type="date" name="to" label="To" defaultValue={query.to} />
            {kind === "merchant" ? (
              <FilterSelect
                name="publisher"
                label="Publisher"
                value={query.publisher}
                any="All publishers"
                options={choices.publishers.map((p) => ({ value: p.id, label: p.name }))}
              />
            ) : (
              <FilterInput
                name="sub"
                label="Sub id"
                defaultValue={query.sub}
                maxLength={SUB_MAX_LENGTH}
                placeholder="Any of sub1 to sub5"
              />
            )}
            <Button variant="secondary">Filter</Button>
          </Form>
          {rows.length === 0 ? (
            <p className="py-6 text-center text-sm text-zinc-500">
              {filters.length || query.after ? "No conversions match." : "No conversions yet."}
            </p>
          ) : (
            <>
              {canReview ? (
                <Form
                  method="post"
                  {...getFormProps(form)}
                  className="mb-4 grid gap-3 rounded-md bg-zinc-50 p-3 ring-1 ring-zinc-200 sm:grid-cols-2 sm:items-start"
                >
                  <div className="space-y-3 sm:col-span-2">
                    <p className="text-sm text-zinc-700">
                      Tick pending conversions below to approve them now, or to reject them with a reason (and a note) the publisher reads.
                    </p>
                    <SelectAll form={SELECTION_FORM} />
                  </div>
                  <RejectionFields reason={fields.reason} note={fields.note} noteMaxLength={CONVERSION_NOTE_MAX_LENGTH} />
                  <div className="flex flex-wrap gap-2 sm:col-span-2">
                    <Button name="intent" value="approve" disabled={busy}>
                      Approve selected
                    </Button>
                    <Button name="intent" value="reject" variant="danger" disabled={busy}>
                      Reject selected
                    </Button>
                  </div>
                  <div className="sm:col-span-2">
                    <FormErrors errors={[...(form.errors ?? []), ...(fields.ids.errors ?? []), ...(fields.intent.errors ?? [])]} />
                  </div>
                </Form>
              ) : null}
              <ConversionTable
                rows={rows}
                viewer={kind}
                select={canReview ? { form: SELECTION_FORM, allows: (c) => c.status === "pending" } : undefined}
                columns={
                  kind === "merchant"
                    ? ["offer", "publisher", "order", "status", "sale", "commission", "fee", "cost"]
                    : ["offer", "order", "status", "sale", "commission", "subIds"]
                }
              />
            </>
          )}
          <Pager
            first={query.after ? `?${new URLSearchParams(filters)}` : null}
            next={next ? `?${older}` : null}
            nextLabel="Older conversions"
          />
        </Card>
      </div>
    </>
  );
}
