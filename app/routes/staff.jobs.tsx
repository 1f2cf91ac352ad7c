import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Alert, Button, Card, PageHeader, Table, formatDate } from "~/components/ui";
import { handleForm } from "~/lib/forms.server";
import { requireStaff } from "~/lib/guards.server";
import { listFailedBackgroundJobs, retryBackgroundJob } from "~/modules/moderation/jobs.server";

export const meta: MetaFunction = () => [{ title: "Failed jobs · Switchboard staff" }];

const retrySchema = z.object({ queue: z.string().trim().min(1).max(100), id: z.uuid() });

export async function loader({ context }: LoaderFunctionArgs) {
  const staff = requireStaff(context);
  return { jobs: await listFailedBackgroundJobs(context.db, staff) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const staff = requireStaff(context);
  const result = await handleForm(await request.formData(), retrySchema, (input) => retryBackgroundJob(context.db, staff, input));
  return result.ok ? { ...result.reply, done: true } : result.response;
}

export default function FailedJobs() {
  const { jobs } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.error ? Object.values(result.error).flat() : [];
  return (
    <>
      <PageHeader
        title="Failed jobs"
        description="Background jobs that used up their retries. Fix the cause, then retry: the job gets one more attempt."
      />
      <div className="space-y-6">
        {result && "done" in result ? <Alert tone="success">Queued for another attempt.</Alert> : null}
        {errors.length ? <Alert tone="error">{errors.join(" ")}</Alert> : null}
        <Card>
          {jobs.length ? (
            <Table columns={["Queue", "Job", "Attempts", "Last error", "Failed", ""]}>
              {jobs.map((job) => (
                <tr key={job.id}>
                  <td className="py-2 font-medium">{job.queue}</td>
                  <td className="py-2 font-mono text-xs text-zinc-600">{job.data}</td>
                  <td className="py-2">{job.attempts}</td>
                  <td className="py-2 text-red-600">{job.lastError ?? "—"}</td>
                  <td className="py-2 text-zinc-600">{formatDate(job.failedAt)}</td>
                  <td className="py-2 text-right">
                    <Form method="post">
                      <input type="hidden" name="queue" value={job.queue} />
                      <input type="hidden" name="id" value={job.id} />
                      <Button variant="secondary">Retry</Button>
                    </Form>
                  </td>
                </tr>
              ))}
            </Table>
          ) : (
            <p className="py-6 text-center text-sm text-zinc-500">No failed jobs.</p>
          )}
        </Card>
      </div>
    </>
  );
}
