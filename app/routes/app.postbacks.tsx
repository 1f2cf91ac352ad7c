import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormErrors, SelectField, TextField } from "~/components/form";
import { Alert, Badge, Button, Card, DescriptionList, PageHeader, Table, formatDate } from "~/components/ui";
import { intentOf } from "~/lib/forms";
import { formatCount } from "~/lib/counts";
import { formIntent, handleForm, orErrorResponse } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { POSTBACK_DELIVERY_STATUS_LABELS, POSTBACK_TRIGGER_LABELS, labelOf } from "~/lib/labels";
import { POSTBACK_MACROS, POSTBACK_TEMPLATE_MAX_LENGTH } from "~/modules/publisher-postbacks/macros";
import {
  getPublisherPostbacks,
  removePublisherPostback,
  savePublisherPostback,
  sendTestPublisherPostback,
} from "~/modules/publisher-postbacks/postbacks.server";
import { Pager } from "~/components/pager";
import { postbackIdSchema, readDeliveryQuery, savePostbackSchema } from "~/modules/publisher-postbacks/schemas";

export const meta: MetaFunction = () => [{ title: "Postbacks · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const query = readDeliveryQuery(new URL(request.url).searchParams);
  return { query, ...(await orErrorResponse(() => getPublisherPostbacks(context.db, tenant, query))) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const formData = await request.formData();
  const intent = formIntent(formData, ["save", "remove", "test"]);
  const settings = { allowLoopback: context.config.PUBLISHER_POSTBACKS_ALLOW_LOOPBACK };
  switch (intent) {
    case "save": {
      const result = await handleForm(formData, savePostbackSchema, (input) => savePublisherPostback(context.db, tenant, input, settings));
      return result.ok ? { ...result.reply, done: intent } : result.response;
    }
    case "remove": {
      const result = await handleForm(formData, postbackIdSchema, (input) => removePublisherPostback(context.db, tenant, input));
      return result.ok ? { ...result.reply, done: intent } : result.response;
    }
    case "test": {
      const result = await handleForm(formData, postbackIdSchema, (input) =>
        sendTestPublisherPostback(context.db, tenant, input, settings),
      );
      return result.ok ? { ...result.reply, done: intent, test: result.value } : result.response;
    }
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Template = Data["templates"][number];

export default function Postbacks() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const editing = data.templates.find((t) => t.id === params.get("edit"));
  const otherErrors = intentOf(result) !== "save" && result?.error ? Object.values(result.error).flatMap((m) => m ?? []) : [];
  return (
    <>
      <PageHeader
        title="Postbacks"
        description="Switchboard calls your address when a conversion you referred is created, approved, rejected or reversed, so your own tracker knows at once."
      />
      <div className="space-y-6">
        {result && "done" in result && result.done === "save" ? <Alert tone="success">Postback saved.</Alert> : null}
        {result && "done" in result && result.done === "remove" ? <Alert tone="success">Postback deleted.</Alert> : null}
        {result && "test" in result ? <TestAnswer test={result.test} /> : null}
        <FormErrors errors={otherErrors} />
        <Card
          title="Your postback addresses"
          description="One for all your offers, and one per offer if you want: an offer's own address is used instead of the one for all offers."
        >
          <Templates templates={data.templates} canManage={data.canManage} />
        </Card>
        {data.canManage ? (
          <Card
            title={editing ? "Change a postback" : "Add a postback"}
            description="Saving for an offer (or for all offers) that already has an address replaces it."
          >
            <SaveForm
              key={editing?.id ?? "new"}
              offers={data.offers}
              editing={editing}
              result={intentOf(result) === "save" ? result : undefined}
            />
          </Card>
        ) : (
          <p className="text-sm text-zinc-500">Only owners and admins can add, change or delete postbacks.</p>
        )}
        <Card
          title="Macros"
          description="Write these in the path or the query of your address; each is replaced by its value, URL-encoded."
        >
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            {POSTBACK_MACROS.map((m) => (
              <div key={m.name} className="contents">
                <dt>
                  <code>{`{${m.name}}`}</code>
                </dt>
                <dd className="text-zinc-600">{m.meaning}</dd>
              </div>
            ))}
          </dl>
        </Card>
        {data.opened ? <Attempts opened={data.opened} /> : null}
        <Card
          title="Delivery log"
          description="Every call, newest first. A call that fails is tried again after 30 seconds, then with pauses doubling up to 2 hours, for 24 hours; an address Switchboard refuses is not tried again."
        >
          <DeliveryLog deliveries={data.deliveries} />
          <Pager first={data.query.before ? "?" : null} next={data.next ? `?before=${data.next}` : null} nextLabel="Older calls" />
        </Card>
      </div>
    </>
  );
}

const scopeOf = (t: Template) => (t.offerId ? (t.offerTitle ?? "An offer") : "All offers");

function Templates({ templates, canManage }: { templates: Template[]; canManage: boolean }) {
  if (!templates.length) return <p className="text-sm text-zinc-500">No postback yet: add one below.</p>;
  return (
    <ul className="divide-y divide-zinc-100">
      {templates.map((t) => (
        <li key={t.id} className="space-y-2 py-3">
          <p className="text-sm font-medium text-zinc-900">{scopeOf(t)}</p>
          <code className="block break-all text-xs text-zinc-700">{t.urlTemplate}</code>
          <div className="flex flex-wrap gap-2">
            {canManage ? (
              <>
                <Form method="post">
                  <input type="hidden" name="intent" value="test" />
                  <input type="hidden" name="postbackId" value={t.id} />
                  <Button variant="secondary" aria-label={`Send a test to the address for ${scopeOf(t)}`}>
                    Send test
                  </Button>
                </Form>
                <Link
                  to={`?edit=${t.id}`}
                  className="inline-flex items-center rounded-md px-3.5 py-2 text-sm font-semibold text-zinc-700 hover:bg-zinc-100"
                >
                  Change
                </Link>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="postbackId" value={t.id} />
                  <Button variant="ghost">Delete</Button>
                </Form>
              </>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

type SaveFields = { offerId: string; urlTemplate: string };

function SaveForm({
  offers,
  editing,
  result,
}: {
  offers: Data["offers"];
  editing: Template | undefined;
  result: Parameters<typeof useForm<SaveFields>>[0]["lastResult"];
}) {
  const [form, fields] = useForm<SaveFields>({
    id: "save-postback",
    lastResult: result,
    defaultValue: { offerId: editing?.offerId ?? "", urlTemplate: editing?.urlTemplate ?? "" },
  });
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      <input type="hidden" name="intent" value="save" />
      <FormErrors errors={form.errors} />
      <SelectField
        field={fields.offerId}
        label="For"
        placeholder="All offers"
        options={offers.map((o) => ({ value: o.id, label: o.label }))}
      />
      <TextField
        field={fields.urlTemplate}
        label="Address to call"
        placeholder="https://tracker.example/postback?click={click_id}&payout={payout}"
        hint={`An https:// (or http://) address with macros, up to ${formatCount(POSTBACK_TEMPLATE_MAX_LENGTH)} characters. Switchboard sends a GET and waits up to 5 seconds; redirects are not followed.`}
      />
      <Button>Save postback</Button>
    </Form>
  );
}

type TestResult = { deliveryId: number; url: string; status: string; httpStatus: number | null; error: string | null };

function TestAnswer({ test }: { test: TestResult }) {
  return (
    <Alert tone={test.status === "delivered" ? "success" : "error"}>
      <p>
        {test.status === "delivered"
          ? `Test delivered: your server answered HTTP ${test.httpStatus}.`
          : `Test not delivered: ${test.error}.`}
      </p>
      <code className="mt-1 block break-all text-xs">{test.url}</code>
    </Alert>
  );
}

const outcomeOf = (d: { lastHttpStatus: number | null; lastError: string | null }) =>
  d.lastError ?? (d.lastHttpStatus !== null ? `HTTP ${d.lastHttpStatus}` : "Not called yet");

function DeliveryLog({ deliveries }: { deliveries: Data["deliveries"] }) {
  if (!deliveries.length) return <p className="text-sm text-zinc-500">No calls yet. Send a test to see one here.</p>;
  return (
    <Table columns={["Time", "Why", "Address called", "Status", "Attempts", "Last result", ""]}>
      {deliveries.map((d) => (
        <tr key={d.id} className="align-top">
          <td className="py-2 whitespace-nowrap">{formatDate(d.lastAttemptAt ?? d.createdAt)}</td>
          <td className="py-2 whitespace-nowrap">{labelOf(POSTBACK_TRIGGER_LABELS, d.trigger)}</td>
          <td className="py-2">
            <code className="block max-w-md break-all text-xs">{d.url}</code>
          </td>
          <td className="py-2">
            <Badge tone={d.status} label={labelOf(POSTBACK_DELIVERY_STATUS_LABELS, d.status)} />
          </td>
          <td className="py-2 text-right">{d.attempts}</td>
          <td className="py-2 text-zinc-700">{outcomeOf(d)}</td>
          <td className="py-2 whitespace-nowrap">
            <Link to={`?delivery=${d.id}`} className="text-indigo-600 hover:underline">
              Attempts
            </Link>
            {d.conversionId ? (
              <Link to={`/app/conversions/${d.conversionId}`} className="ml-3 text-indigo-600 hover:underline">
                Conversion
              </Link>
            ) : null}
          </td>
        </tr>
      ))}
    </Table>
  );
}

function Attempts({ opened }: { opened: NonNullable<Data["opened"]> }) {
  const { delivery, attempts } = opened;
  return (
    <Card title="Attempts of one call" description={<code className="break-all text-xs">{delivery.url}</code>}>
      <DescriptionList
        items={[
          ["Why", labelOf(POSTBACK_TRIGGER_LABELS, delivery.trigger)],
          ["Status", labelOf(POSTBACK_DELIVERY_STATUS_LABELS, delivery.status)],
          ["Queued", formatDate(delivery.createdAt)],
        ]}
      />
      {attempts.length ? (
        <Table columns={["Attempt", "Time", "Result", "Took"]} className="mt-4">
          {attempts.map((a) => (
            <tr key={a.id}>
              <td className="py-2">{a.attempt}</td>
              <td className="py-2 whitespace-nowrap">{formatDate(a.at)}</td>
              <td className="py-2">{a.error ?? `HTTP ${a.httpStatus}`}</td>
              <td className="py-2 whitespace-nowrap">{formatCount(a.durationMs)} ms</td>
            </tr>
          ))}
        </Table>
      ) : (
        <p className="mt-4 text-sm text-zinc-500">Not called yet.</p>
      )}
      <Link to="?" className="mt-4 inline-block text-sm font-semibold text-indigo-600">
        Close
      </Link>
    </Card>
  );
}
