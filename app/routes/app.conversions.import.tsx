import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Alert, Badge, Button, Card, PageHeader, Table } from "~/components/ui";
import { formIntent, orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { formatCount } from "~/lib/counts";
import { CONVERSION_STATUS_LABELS } from "~/lib/labels";
import { applyConversionCsv, previewConversionCsv, type CsvRowResult } from "~/modules/tracking/conversion-csv.server";
import { assertConversionReviewer } from "~/modules/tracking/conversion-review.server";
import { CONVERSION_NOTE_MAX_LENGTH, CSV_COLUMNS, CSV_MAX_ROWS } from "~/modules/tracking/schemas";

export const meta: MetaFunction = () => [{ title: "Import conversion decisions · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  await orErrorResponse(async () => assertConversionReviewer(tenant));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const formData = await request.formData();
  const intent = formIntent(formData, ["preview", "apply"]);
  const report = await orErrorResponse(() =>
    intent === "preview"
      ? previewConversionCsv(context.db, tenant, formData.get("file"))
      : applyConversionCsv(context.db, tenant, formData.get("csv")),
  );
  return "refused" in report ? data(report, { status: report.refused.status }) : report;
}

const OUTCOMES = {
  preview: { change: "Will change", unchanged: "No change", error: "Not applied" },
  applied: { change: "Changed", unchanged: "No change", error: "Not applied" },
} as const;

const TONES = { change: "approved", unchanged: "paused", error: "rejected" } as const;

function Change({ row }: { row: CsvRowResult }) {
  const label = (status: keyof typeof CONVERSION_STATUS_LABELS) => CONVERSION_STATUS_LABELS[status];
  if (row.outcome === "change" && row.from && row.to) return <>{`${label(row.from)} → ${label(row.to)}`}</>;
  return <>{row.message}</>;
}

export default function ImportConversions() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const report = result && !("refused" in result) ? result : null;
  const words = report?.applied ? OUTCOMES.applied : OUTCOMES.preview;
  return (
    <>
      <PageHeader
        title="Import conversion decisions"
        description="Approve, reject or reverse many conversions at once from a CSV file: first a preview of what it will change, then you apply it."
      />
      <div className="space-y-6">
        {result && "refused" in result ? <Alert tone="error">{result.refused.message}</Alert> : null}
        {report ? (
          <Alert tone={report.counts.error ? "warning" : "success"}>
            {report.applied
              ? `${formatCount(report.counts.change)} changed, ${formatCount(report.counts.unchanged)} already so, ${formatCount(report.counts.error)} not applied.`
              : `${formatCount(report.counts.change)} will change, ${formatCount(report.counts.unchanged)} already so, ${formatCount(report.counts.error)} cannot be applied. Nothing has changed yet.`}
          </Alert>
        ) : null}
        {report && !report.applied && report.csv !== null ? (
          <Card title="Apply the file">
            <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-center gap-3">
              <input type="hidden" name="intent" value="apply" />
              <input type="hidden" name="csv" value={report.csv} />
              <Button disabled={busy || report.counts.change === 0}>
                {`Apply ${report.counts.change} ${report.counts.change === 1 ? "change" : "changes"}`}
              </Button>
              <p className="text-sm text-zinc-600">
                Lines that cannot be applied are left out; each line is applied whole or not at all. The publishers are told by email.
              </p>
            </Form>
          </Card>
        ) : null}
        {report ? (
          <Card title={report.applied ? "Result, line by line" : "Preview, line by line"}>
            <Table columns={["Line", "Order", "Event", "Result", "What"]}>
              {report.rows.map((row) => (
                <tr key={row.line} className="align-top">
                  <td className="py-2 text-zinc-500">{row.line}</td>
                  <td className="py-2 break-all">{row.orderId}</td>
                  <td className="py-2">{row.event}</td>
                  <td className="py-2">
                    <Badge tone={TONES[row.outcome]} label={words[row.outcome]} />
                  </td>
                  <td className="py-2">
                    <Change row={row} />
                  </td>
                </tr>
              ))}
            </Table>
          </Card>
        ) : null}
        <Card
          title={report ? "Upload another file" : "Upload a file"}
          description={`A CSV file of at most 1 MB and ${formatCount(CSV_MAX_ROWS)} lines, in UTF-8, whose first line names the columns.`}
        >
          <div className="space-y-4 text-sm text-zinc-700">
            <p>
              Columns: <code>{CSV_COLUMNS.join(",")}</code>. <code>status</code> is <code>approved</code>, <code>rejected</code> (a pending
              conversion) or <code>reversed</code> (an approved one). <code>event</code> left empty means <code>sale</code>. A rejection or
              reversal needs a <code>reason</code>: duplicate, fraud, returned, cancelled, invalid, test or other; the <code>note</code> (up
              to {CONVERSION_NOTE_MAX_LENGTH} characters) is for the publisher.
            </p>
            <pre className="overflow-x-auto rounded-md bg-zinc-50 p-3 text-xs">
              {"order_id,event,status,reason,note\nA-1001,sale,approved,,\nA-1002,sale,rejected,returned,Parcel sent back on 3 May\n"}
            </pre>
            <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-3">
              <input type="hidden" name="intent" value="preview" />
              <label className="text-sm font-medium text-zinc-800">
                CSV file
                <input type="file" name="file" accept=".csv,text/csv" required className="mt-1.5 block text-sm" />
              </label>
              <Button disabled={busy}>Preview</Button>
            </Form>
          </div>
        </Card>
        <Link to="/app/conversions" className="inline-block text-sm font-semibold text-indigo-600">
          ← All conversions
        </Link>
      </div>
    </>
  );
}
