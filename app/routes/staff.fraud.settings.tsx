import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors, TextField } from "~/components/form";
import { Alert, Button, Card, PageHeader, formatDate } from "~/components/ui";
import { handleForm } from "~/lib/forms.server";
import { requireStaff } from "~/lib/guards.server";
import { fraudSettingsSchema, getFraudSettings, updateFraudSettings } from "~/modules/tracking/fraud-settings.server";

export const meta: MetaFunction = () => [{ title: "Fraud thresholds · Switchboard staff" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return getFraudSettings(context.db, requireStaff(context));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  const result = await handleForm(await request.formData(), fraudSettingsSchema, (input) => updateFraudSettings(context.db, staff, input));
  return result.ok ? { ...result.reply, done: true } : result.response;
}

type Fields = Record<keyof typeof FIELDS, string>;

/** Each threshold: its label, and what it means, with the default. */
const FIELDS = {
  minClickSeconds: { label: "Shortest click to conversion (seconds)", hint: "Faster than this is suspicious." },
  maxClicksPerIpHour: {
    label: "Clicks per address and link in an hour",
    hint: "More clicks than this from one address on one link, in the hour up to the conversion's click, is a flood.",
  },
  selfTrafficDays: {
    label: "Log-in window (days)",
    hint: "A click from an address a member of the publisher logged in from within this many days is the publisher's own traffic.",
  },
  burstConversions: { label: "Conversions per address in the burst window", hint: "More than this from one address is a burst." },
  burstMinutes: { label: "Burst window (minutes)", hint: "How far back conversions from the same address count." },
} as const;

export default function FraudSettingsPage() {
  const { settings, defaults, updatedAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const saved = result && "done" in result;
  const values = Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, String(value)])) as Fields;
  const [form, fields] = useForm<Fields>({ id: "fraud-settings", lastResult: result, defaultValue: values });
  return (
    <>
      <PageHeader
        title="Fraud thresholds"
        description="What fraud screening counts as suspicious. A conversion that trips any of them is held until staff clear or reject it."
        actions={
          <Link to="/staff/fraud" className="text-sm font-semibold text-indigo-600 hover:underline">
            ← Fraud queue
          </Link>
        }
      />
      <div className="space-y-6">
        {saved ? <Alert tone="success">Saved and written to the audit log. The next screening pass uses them.</Alert> : null}
        <Card
          description={updatedAt ? `Last changed ${formatDate(updatedAt)}.` : "These are the defaults: staff have not changed them yet."}
        >
          <Form method="post" {...getFormProps(form)} className="grid items-start gap-4 sm:grid-cols-2">
            <div className="sm:col-span-2">
              <FormErrors errors={form.errors} />
            </div>
            {(Object.keys(FIELDS) as (keyof typeof FIELDS)[]).map((name) => (
              <TextField
                key={name}
                field={fields[name]}
                label={FIELDS[name].label}
                hint={`${FIELDS[name].hint} Default ${defaults[name]}.`}
              />
            ))}
            <div className="sm:col-span-2">
              <Button disabled={busy}>Save thresholds</Button>
            </div>
          </Form>
        </Card>
      </div>
    </>
  );
}
