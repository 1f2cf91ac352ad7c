import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import { TextAreaField } from "./form";
import { Button, Card } from "./ui";

/** What a staff review action answered: a conform reply, or a success with `done`. */
type DecisionResult = (SubmissionResult<string[]> & { done?: unknown }) | undefined;

/** Errors of a decision reply that no reason field shows (an unknown decision, a rule the domain refused). */
export function errorsBesideReason(result: DecisionResult): string[] {
  return Object.entries(result?.error ?? {}).flatMap(([name, messages]) => (name === "reason" ? [] : (messages ?? [])));
}

/**
 * A staff decision the other side reads a reason for (reject, suspend, send back). The reason's
 * error shows under its field, in the form that was sent.
 */
export function ReasonForm({
  decision,
  title,
  description,
  label,
  busy,
  result,
}: {
  decision: string;
  title: string;
  description: string;
  label: string;
  busy: boolean;
  result: DecisionResult;
}) {
  const [form, fields] = useForm<{ reason: string }>({
    id: `decision-${decision}`,
    lastResult: result?.initialValue?.decision === decision ? result : undefined,
  });
  return (
    <Card title={title} description={description}>
      <Form method="post" {...getFormProps(form)} className="space-y-3">
        <input type="hidden" name="decision" value={decision} />
        <TextAreaField field={fields.reason} label="Reason" rows={3} />
        <Button variant="danger" disabled={busy}>
          {label}
        </Button>
      </Form>
    </Card>
  );
}
