import { eq, sql } from "drizzle-orm";
import { sqlTextArray } from "#db/sql-arrays";
import type { Database } from "#db/client";
import { selectRows } from "#db/jobs/executors";
import { organizations } from "#db/schema";
import { enqueueEmail } from "#emails/outbox";
import { clip } from "~/lib/clean-text";
import { CONVERSION_HOLD_LABELS, CONVERSION_REASON_LABELS, CONVERSION_STATUS_LABELS, labelOf } from "~/lib/labels";
import { amountFromSum, formatMoney } from "~/lib/money";
import { contactEmails } from "../orgs/contacts.server";

/**
 * An organization's changes wait this long after the first of them before its digest goes out, so
 * a merchant working through its conversions one by one sends the publisher one email, not one
 * per minute. The job runs every minute.
 */
export const DIGEST_WAIT_MS = 5 * 60_000;
const EXAMPLES = 20;
const NOTE_SHOWN = 140;

/** What a change did: its new status, or `held` / `cleared` when only its hold moved. */
type Change = "approved" | "rejected" | "reversed" | "pending" | "held" | "cleared";
const CHANGES: Change[] = ["approved", "rejected", "reversed", "pending", "held", "cleared"];
const changeWord = (change: Change) =>
  (change === "held" || change === "cleared" ? CONVERSION_HOLD_LABELS[change] : CONVERSION_STATUS_LABELS[change]).toLowerCase();

/** Who made a change, as a digest line says it: a role, never a person (the reader is on the other side). */
const ACTOR_PHRASES = {
  merchant: "by the merchant",
  publisher: "by the publisher",
  staff: "by network staff",
  job: "automatically",
  postback: "by the merchant's postback",
} as const;

/**
 * Sends each organization whose oldest untold change has waited DIGEST_WAIT_MS one email (to each
 * owner and admin) about all its changes since the last one: one transaction per organization,
 * which takes its notices (skipping rows another run holds, so no change is told twice) and queues
 * the emails, or, failing, leaves them for the next run.
 */
export async function sendConversionDigests(db: Database, links: { appUrl: string }, now = new Date()) {
  const since = new Date(now.getTime() - DIGEST_WAIT_MS).toISOString();
  const due = await selectRows<{ organization_id: string }>(
    db,
    sql`select organization_id from conversion_notices group by organization_id having min(created_at) <= ${since}::timestamptz`,
  );
  let emails = 0;
  for (const { organization_id } of due) emails += await db.transaction((tx) => sendDigest(tx, organization_id, links));
  return { organizations: due.length, emails };
}

async function sendDigest(tx: Database, organizationId: string, links: { appUrl: string }) {
  const drained = await selectRows<{ event_id: string }>(
    tx,
    sql`delete from conversion_notices where id in (
        select id from conversion_notices where organization_id = ${organizationId} for update skip locked)
      returning event_id::text`,
  );
  if (drained.length === 0) return 0;
  const events = sql`(select unnest(${sqlTextArray(drained.map((d) => d.event_id))}::bigint[]))`;
  // What the organization pays (a merchant) or earns (a publisher) on each conversion.
  const change = sql`case when e.from_status is distinct from e.to_status then e.to_status::text else e.to_hold::text end`;
  const amount = sql`case when c.merchant_id = ${organizationId} then c.merchant_cost_minor else c.commission_minor end`;
  const totals = await selectRows<{ change: Change; currency: string; count: number; tests: number; amount: string }>(
    tx,
    sql`select ${change} as change, c.currency, count(*)::int as count, (count(*) filter (where c.is_test))::int as tests,
          coalesce(sum(${amount}) filter (where not c.is_test), 0)::text as amount
        from conversion_events e join conversions c on c.id = e.conversion_id
        where e.id in ${events}
        group by 1, c.currency
        order by c.currency`,
  );
  type Example = {
    change: Change;
    order_id: string;
    event: string;
    is_test: boolean;
    reason: string | null;
    note: string | null;
    actor_kind: keyof typeof ACTOR_PHRASES;
  };
  const examples = await selectRows<Example>(
    tx,
    sql`select ${change} as change, c.order_id, c.event, c.is_test, e.reason, e.note, e.actor_kind
        from conversion_events e join conversions c on c.id = e.conversion_id
        where e.id in ${events}
        order by e.id
        limit ${EXAMPLES}`,
  );
  const [organization] = await tx
    .select({ name: organizations.name, kind: organizations.kind })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!organization) return 0;
  const money = organization.kind === "merchant" ? "cost" : "commission";
  const groups = CHANGES.flatMap((c) => {
    const rows = totals.filter((t) => t.change === c);
    if (rows.length === 0) return [];
    const tests = rows.reduce((n, r) => n + r.tests, 0);
    const amounts = rows.filter((r) => r.amount !== "0").map((r) => formatMoney(amountFromSum(r.amount), r.currency));
    return [
      {
        label: `${changeWord(c)}${tests ? ` (${tests} test)` : ""}`,
        count: rows.reduce((n, r) => n + r.count, 0),
        money: amounts.length ? `${amounts.join(" + ")} ${money}` : null,
      },
    ];
  });
  const props = {
    organizationName: organization.name,
    total: drained.length,
    groups,
    examples: examples.map((e) => {
      const reason = e.reason ? ` · ${labelOf(CONVERSION_REASON_LABELS, e.reason)}` : "";
      const note = e.note ? `: “${clip(e.note, NOTE_SHOWN)}”` : "";
      const test = e.is_test ? " (test)" : "";
      return `Order ${e.order_id} (${e.event})${test}: ${changeWord(e.change)} ${ACTOR_PHRASES[e.actor_kind]}${reason}${note}`;
    }),
    more: Math.max(0, drained.length - examples.length),
    url: `${links.appUrl}/app/conversions`,
  };
  const to = await contactEmails(tx, [organizationId]);
  for (const address of to) await enqueueEmail(tx, address, "conversion_digest", props);
  return to.length;
}
