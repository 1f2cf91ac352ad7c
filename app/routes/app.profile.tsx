import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { CheckboxGroup, FieldErrors, fieldList, FormErrors, SelectField, TextAreaField, TextField } from "~/components/form";
import { Alert, Button, Card, PageHeader } from "~/components/ui";
import { formIntent, handleForm } from "~/lib/forms.server";
import { requireTenant } from "~/lib/guards.server";
import { COUNTRY_OPTIONS } from "~/lib/countries";
import {
  getOrganizationProfile,
  listNiches,
  requestReview,
  updateMerchantProfile,
  updatePublisherProfile,
} from "~/modules/orgs/organizations.server";
import { SOCIAL_PLATFORM_LABELS } from "~/lib/labels";
import { merchantProfileSchema, publisherProfileSchema, SOCIAL_PLATFORMS, TRAFFIC_SOURCES } from "~/modules/orgs/schemas";
import { hasRole } from "~/modules/orgs/tenant.server";

export const meta: MetaFunction = () => [{ title: "Profile · Switchboard" }];

const trafficOptions = Object.entries(TRAFFIC_SOURCES).map(([value, label]) => ({ value, label }));
const platformOptions = SOCIAL_PLATFORMS.map((p) => ({ value: p, label: SOCIAL_PLATFORM_LABELS[p] }));

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const [profile, niches] = await Promise.all([getOrganizationProfile(context.db, tenant.organization), listNiches(context.db)]);
  return { profile, niches, status: tenant.organization.status, canEdit: hasRole(tenant, "admin") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { tenant } = await requireTenant(request, context);
  const formData = await request.formData();
  const intent = formIntent(formData, ["profile", "request-review"]);
  const result = await run();
  return result.ok ? { ...result.reply, saved: intent } : result.response;

  function run() {
    switch (intent) {
      case "profile":
        return tenant.organization.kind === "merchant"
          ? handleForm(formData, merchantProfileSchema, (input) => updateMerchantProfile(context.db, tenant, input))
          : handleForm(formData, publisherProfileSchema, (input) => updatePublisherProfile(context.db, tenant, input));
      case "request-review":
        return handleForm(formData, z.object({}), () => requestReview(context.db, tenant));
    }
  }
}

export default function ProfilePage() {
  const { profile, status, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const saved = result && "saved" in result ? result.saved : null;
  return (
    <>
      <PageHeader title="Profile" description="What the network team and your partners see about your organization." />
      <div className="space-y-6">
        {saved === "profile" ? <Alert tone="success">Profile saved.</Alert> : null}
        {saved === "request-review" ? <Alert tone="success">Thanks. The network team will review your organization again.</Alert> : null}
        {!canEdit ? <Alert>Only owners and admins can change the profile.</Alert> : null}
        {profile.kind === "merchant" ? <MerchantProfileForm /> : <PublisherProfileForm />}
        {status === "rejected" && canEdit ? (
          <Card
            title="Ask for another review"
            description="When you have addressed the reason you were given, send the organization back to the network team."
          >
            <Form method="post">
              <input type="hidden" name="intent" value="request-review" />
              <Button variant="secondary">Request review</Button>
            </Form>
          </Card>
        ) : null}
      </div>
    </>
  );
}

function MerchantProfileForm() {
  const { profile } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const current = profile.kind === "merchant" ? profile.profile : null;
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { website: current?.website ?? "", description: current?.description ?? "", logoUrl: current?.logoUrl ?? "" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: merchantProfileSchema }),
  });
  return (
    <Card title="Merchant profile">
      <Form method="post" {...getFormProps(form)} className="space-y-5">
        <input type="hidden" name="intent" value="profile" />
        <FormErrors errors={form.errors} />
        <TextField field={fields.website} label="Website" type="url" placeholder="https://shop.example.com" />
        <TextAreaField
          field={fields.description}
          label="About your business"
          hint="What you sell, to whom, and what publishers should know."
          rows={5}
        />
        <TextField field={fields.logoUrl} label="Logo URL (optional)" type="url" placeholder="https://…/logo.png" />
        <Button disabled={busy}>Save profile</Button>
      </Form>
    </Card>
  );
}

function PublisherProfileForm() {
  const { profile, niches } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const current = profile.kind === "publisher" ? profile : null;
  const [form, fields] = useForm<z.infer<typeof publisherProfileSchema>>({
    lastResult,
    defaultValue: {
      description: current?.profile.description ?? "",
      websites: current?.profile.websites.length ? current.profile.websites : [""],
      socialChannels: current?.profile.socialChannels.length ? current.profile.socialChannels : [{ platform: "", url: "" }],
      niches: current?.niches.map((n) => n.slug) ?? [],
      trafficSources: current?.profile.trafficSources ?? [],
      country: current?.profile.country ?? "",
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: publisherProfileSchema }),
  });
  const websites = fieldList(fields.websites);
  const channels = fieldList(fields.socialChannels);
  return (
    <Card title="Publisher profile">
      <Form method="post" {...getFormProps(form)} className="space-y-6">
        <input type="hidden" name="intent" value="profile" />
        <FormErrors errors={form.errors} />
        <TextAreaField
          field={fields.description}
          label="How you promote offers"
          hint="Your audience, content and reach. Merchants read this when you apply."
          rows={5}
        />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-zinc-800">Websites</legend>
          {websites.map((site, i) => (
            <div key={site.key} className="flex items-start gap-2">
              <div className="flex-1">
                <TextField field={site} label={`Website ${i + 1}`} type="url" placeholder="https://myblog.example" />
              </div>
              {websites.length > 1 ? (
                <button
                  {...form.remove.getButtonProps({ name: fields.websites.name, index: i })}
                  className="mt-8 text-sm text-zinc-500 hover:text-red-600"
                >
                  Remove
                </button>
              ) : null}
            </div>
          ))}
          <FieldErrors id={fields.websites.errorId} errors={fields.websites.errors} />
          <button {...form.insert.getButtonProps({ name: fields.websites.name })} className="text-sm font-medium text-indigo-600">
            + Add a website
          </button>
        </fieldset>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-zinc-800">Social channels</legend>
          {channels.map((channel, i) => {
            const c = channel.getFieldset();
            return (
              <div key={channel.key} className="grid grid-cols-3 items-start gap-2">
                <SelectField field={c.platform} label={`Platform ${i + 1}`} options={platformOptions} placeholder="Choose…" />
                <div className="col-span-2 flex items-start gap-2">
                  <div className="flex-1">
                    <TextField field={c.url} label={`Channel URL ${i + 1}`} type="url" placeholder="https://youtube.com/@me" />
                  </div>
                  <button
                    {...form.remove.getButtonProps({ name: fields.socialChannels.name, index: i })}
                    className="mt-8 text-sm text-zinc-500 hover:text-red-600"
                  >
                    Remove
                  </button>
                </div>
              </div>
            );
          })}
          <FieldErrors id={fields.socialChannels.errorId} errors={fields.socialChannels.errors} />
          <button
            {...form.insert.getButtonProps({ name: fields.socialChannels.name, defaultValue: { platform: "", url: "" } })}
            className="text-sm font-medium text-indigo-600"
          >
            + Add a channel
          </button>
        </fieldset>
        <CheckboxGroup field={fields.niches} label="Niches" options={niches.map((n) => ({ value: n.slug, label: n.name }))} columns={3} />
        <CheckboxGroup field={fields.trafficSources} label="Traffic sources" options={trafficOptions} columns={3} />
        <SelectField field={fields.country} label="Country" options={COUNTRY_OPTIONS} placeholder="Choose your country" />
        <Button disabled={busy}>Save profile</Button>
      </Form>
    </Card>
  );
}
