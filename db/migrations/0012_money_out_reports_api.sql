CREATE TYPE "public"."invoice_status" AS ENUM('issued', 'paid', 'void');--> statement-breakpoint
CREATE TYPE "public"."payout_method" AS ENUM('bank_transfer', 'paypal', 'other');--> statement-breakpoint
CREATE TYPE "public"."payout_status" AS ENUM('pending', 'paid', 'failed');--> statement-breakpoint
ALTER TYPE "public"."ledger_posting_kind" ADD VALUE 'merchant_payment';--> statement-breakpoint
ALTER TYPE "public"."ledger_posting_kind" ADD VALUE 'publisher_payout';--> statement-breakpoint
CREATE TABLE "billing_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"invoice_due_days" integer NOT NULL,
	"payout_minimums" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"payouts_require_paid_invoice" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoice_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "invoice_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"invoice_id" uuid NOT NULL,
	"posting_id" bigint NOT NULL,
	"conversion_id" uuid NOT NULL,
	"offer_id" uuid NOT NULL,
	"commission_minor" bigint NOT NULL,
	"fee_minor" bigint NOT NULL,
	"total_minor" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "invoice_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"invoice_id" uuid NOT NULL,
	"offer_id" uuid NOT NULL,
	"offer_name" text NOT NULL,
	"approvals" integer NOT NULL,
	"reversals" integer NOT NULL,
	"commission_minor" bigint NOT NULL,
	"fee_minor" bigint NOT NULL,
	"total_minor" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoice_payments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "invoice_payments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"invoice_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"received_on" text NOT NULL,
	"reference" text NOT NULL,
	"posting_id" bigint NOT NULL,
	"recorded_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_payments_amount_check" CHECK ("invoice_payments"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "invoice_sequence" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"last_number" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer NOT NULL,
	"merchant_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"status" "invoice_status" DEFAULT 'issued' NOT NULL,
	"commission_minor" bigint NOT NULL,
	"fee_minor" bigint NOT NULL,
	"total_minor" bigint NOT NULL,
	"paid_minor" bigint DEFAULT 0 NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"issued_by_user_id" uuid,
	"paid_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"voided_by_user_id" uuid,
	"overdue_notified_at" timestamp with time zone,
	CONSTRAINT "invoices_total_check" CHECK ("invoices"."total_minor" = "invoices"."commission_minor" + "invoices"."fee_minor")
);
--> statement-breakpoint
CREATE TABLE "payout_items" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "payout_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"payout_id" uuid NOT NULL,
	"posting_id" bigint NOT NULL,
	"conversion_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_user_id" uuid
);
--> statement-breakpoint
CREATE TABLE "payout_settings" (
	"publisher_id" uuid PRIMARY KEY NOT NULL,
	"method" "payout_method" NOT NULL,
	"details" jsonb NOT NULL,
	"thresholds" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_user_id" uuid
);
--> statement-breakpoint
CREATE TABLE "payouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"publisher_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"amount_minor" bigint NOT NULL,
	"status" "payout_status" DEFAULT 'pending' NOT NULL,
	"method" "payout_method" NOT NULL,
	"details" jsonb NOT NULL,
	"reference" text,
	"failure_reason" text,
	"posting_id" bigint,
	"settled_at" timestamp with time zone,
	"settled_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payouts_amount_check" CHECK ("payouts"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "report_detail_hours" (
	"hour" timestamp with time zone NOT NULL,
	"partnership_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"sub1" text NOT NULL,
	"country" text NOT NULL,
	"offer_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"publisher_id" uuid NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"unique_clicks" integer DEFAULT 0 NOT NULL,
	"conversions" integer DEFAULT 0 NOT NULL,
	"sale_minor" bigint DEFAULT 0 NOT NULL,
	"commission_minor" bigint DEFAULT 0 NOT NULL,
	"fee_minor" bigint DEFAULT 0 NOT NULL,
	"merchant_cost_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "report_detail_hours_partnership_id_currency_hour_sub1_country_pk" PRIMARY KEY("partnership_id","currency","hour","sub1","country")
);
--> statement-breakpoint
CREATE TABLE "report_hours" (
	"hour" timestamp with time zone NOT NULL,
	"partnership_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"offer_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"publisher_id" uuid NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"unique_clicks" integer DEFAULT 0 NOT NULL,
	"conversions" integer DEFAULT 0 NOT NULL,
	"sale_minor" bigint DEFAULT 0 NOT NULL,
	"commission_minor" bigint DEFAULT 0 NOT NULL,
	"fee_minor" bigint DEFAULT 0 NOT NULL,
	"merchant_cost_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "report_hours_partnership_id_currency_hour_pk" PRIMARY KEY("partnership_id","currency","hour")
);
--> statement-breakpoint
CREATE TABLE "report_merchant_days" (
	"day" date NOT NULL,
	"merchant_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"clicks" integer DEFAULT 0 NOT NULL,
	"unique_clicks" integer DEFAULT 0 NOT NULL,
	"conversions" integer DEFAULT 0 NOT NULL,
	"sale_minor" bigint DEFAULT 0 NOT NULL,
	"commission_minor" bigint DEFAULT 0 NOT NULL,
	"fee_minor" bigint DEFAULT 0 NOT NULL,
	"merchant_cost_minor" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "report_merchant_days_merchant_id_currency_day_pk" PRIMARY KEY("merchant_id","currency","day")
);
--> statement-breakpoint
CREATE TABLE "api_idempotency" (
	"api_key_id" uuid NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer,
	"body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_idempotency_api_key_id_idempotency_key_pk" PRIMARY KEY("api_key_id","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by_user_id" uuid
);
--> statement-breakpoint
ALTER TABLE "invoice_items" ADD CONSTRAINT "invoice_items_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_items" ADD CONSTRAINT "invoice_items_posting_id_ledger_postings_id_fk" FOREIGN KEY ("posting_id") REFERENCES "public"."ledger_postings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_items" ADD CONSTRAINT "invoice_items_conversion_id_conversions_id_fk" FOREIGN KEY ("conversion_id") REFERENCES "public"."conversions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_posting_id_ledger_postings_id_fk" FOREIGN KEY ("posting_id") REFERENCES "public"."ledger_postings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_issued_by_user_id_users_id_fk" FOREIGN KEY ("issued_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_voided_by_user_id_users_id_fk" FOREIGN KEY ("voided_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_items" ADD CONSTRAINT "payout_items_payout_id_payouts_id_fk" FOREIGN KEY ("payout_id") REFERENCES "public"."payouts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_items" ADD CONSTRAINT "payout_items_posting_id_ledger_postings_id_fk" FOREIGN KEY ("posting_id") REFERENCES "public"."ledger_postings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_items" ADD CONSTRAINT "payout_items_conversion_id_conversions_id_fk" FOREIGN KEY ("conversion_id") REFERENCES "public"."conversions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_runs" ADD CONSTRAINT "payout_runs_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_settings" ADD CONSTRAINT "payout_settings_publisher_id_organizations_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_settings" ADD CONSTRAINT "payout_settings_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_run_id_payout_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."payout_runs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_publisher_id_organizations_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_posting_id_ledger_postings_id_fk" FOREIGN KEY ("posting_id") REFERENCES "public"."ledger_postings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_settled_by_user_id_users_id_fk" FOREIGN KEY ("settled_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_idempotency" ADD CONSTRAINT "api_idempotency_api_key_id_api_keys_id_fk" FOREIGN KEY ("api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_revoked_by_user_id_users_id_fk" FOREIGN KEY ("revoked_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoice_items_invoice_idx" ON "invoice_items" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_items_posting_idx" ON "invoice_items" USING btree ("posting_id");--> statement-breakpoint
CREATE INDEX "invoice_items_conversion_idx" ON "invoice_items" USING btree ("conversion_id");--> statement-breakpoint
CREATE INDEX "invoice_lines_invoice_idx" ON "invoice_lines" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_payments_invoice_idx" ON "invoice_payments" USING btree ("invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices" USING btree ("number");--> statement-breakpoint
CREATE INDEX "invoices_merchant_idx" ON "invoices" USING btree ("merchant_id","issued_at");--> statement-breakpoint
CREATE INDEX "invoices_open_idx" ON "invoices" USING btree ("due_at") WHERE "invoices"."status" = 'issued';--> statement-breakpoint
CREATE INDEX "payout_items_payout_idx" ON "payout_items" USING btree ("payout_id");--> statement-breakpoint
CREATE INDEX "payout_items_posting_idx" ON "payout_items" USING btree ("posting_id");--> statement-breakpoint
CREATE INDEX "payout_items_conversion_idx" ON "payout_items" USING btree ("conversion_id");--> statement-breakpoint
CREATE INDEX "payout_runs_created_idx" ON "payout_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "payouts_run_idx" ON "payouts" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "payouts_publisher_idx" ON "payouts" USING btree ("publisher_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payouts_pending_key" ON "payouts" USING btree ("publisher_id","currency") WHERE "payouts"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "report_detail_hours_merchant_idx" ON "report_detail_hours" USING btree ("merchant_id","hour");--> statement-breakpoint
CREATE INDEX "report_detail_hours_publisher_idx" ON "report_detail_hours" USING btree ("publisher_id","hour");--> statement-breakpoint
CREATE INDEX "report_hours_merchant_idx" ON "report_hours" USING btree ("merchant_id","hour");--> statement-breakpoint
CREATE INDEX "report_hours_publisher_idx" ON "report_hours" USING btree ("publisher_id","hour");--> statement-breakpoint
CREATE INDEX "report_hours_hour_idx" ON "report_hours" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "report_merchant_days_day_idx" ON "report_merchant_days" USING btree ("day");--> statement-breakpoint
CREATE INDEX "api_idempotency_created_idx" ON "api_idempotency" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_org_idx" ON "api_keys" USING btree ("organization_id","created_at");--> statement-breakpoint
-- What an invoice billed, what a merchant paid and what a payout paid are records of money: never changed or removed.
CREATE TRIGGER invoice_lines_append_only BEFORE UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER invoice_items_append_only BEFORE UPDATE OR DELETE ON invoice_items FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER invoice_payments_append_only BEFORE UPDATE OR DELETE ON invoice_payments FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER payout_items_append_only BEFORE UPDATE OR DELETE ON payout_items FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
INSERT INTO "invoice_sequence" ("id", "last_number") VALUES (true, 0);
--> statement-breakpoint
-- Report rollups, rebuilt from the clicks and conversions there are (app/modules/reports/rollups.server.ts
-- keeps them current from then on; the report benchmark builds its rollups with this too). Every click
-- counts (bots too, as click_daily), unique ones are human; conversions count while they earn: pending or
-- approved, screened, not a test. Details first, then the hours and days from them.
CREATE OR REPLACE FUNCTION report_rollups_rebuild() RETURNS void LANGUAGE sql SET work_mem = '256MB' AS $$
  TRUNCATE report_detail_hours, report_hours, report_merchant_days;
  INSERT INTO report_detail_hours (hour, partnership_id, currency, offer_id, merchant_id, publisher_id, sub1, country,
    clicks, unique_clicks, conversions, sale_minor, commission_minor, fee_minor, merchant_cost_minor)
  SELECT hour, partnership_id, currency, offer_id, merchant_id, publisher_id, sub1, country,
    sum(clicks), sum(unique_clicks), sum(conversions), sum(sale_minor), sum(commission_minor), sum(fee_minor), sum(merchant_cost_minor)
  FROM (
    SELECT date_trunc('hour', k.clicked_at, 'UTC') AS hour, k.partnership_id, o.currency, k.offer_id, k.merchant_id, k.publisher_id,
      coalesce(k.sub1, '') AS sub1, coalesce(k.country::text, '') AS country,
      count(*) AS clicks, count(*) FILTER (WHERE k.is_unique) AS unique_clicks, 0 AS conversions,
      0::bigint AS sale_minor, 0::bigint AS commission_minor, 0::bigint AS fee_minor, 0::bigint AS merchant_cost_minor
    FROM clicks k JOIN offers o ON o.id = k.offer_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    UNION ALL
    SELECT date_trunc('hour', c.created_at, 'UTC'), c.partnership_id, c.currency, c.offer_id, c.merchant_id, c.publisher_id,
      coalesce(c.sub1, ''), coalesce(c.click_country::text, ''),
      0, 0, count(*), sum(c.sale_amount_minor), sum(c.commission_minor), sum(c.fee_minor), sum(c.merchant_cost_minor)
    FROM conversions c
    WHERE c.screened_at IS NOT NULL AND c.status IN ('pending', 'approved') AND NOT c.is_test
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ) AS s
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
  INSERT INTO report_hours (hour, partnership_id, currency, offer_id, merchant_id, publisher_id,
    clicks, unique_clicks, conversions, sale_minor, commission_minor, fee_minor, merchant_cost_minor)
  SELECT hour, partnership_id, currency, offer_id, merchant_id, publisher_id,
    sum(clicks), sum(unique_clicks), sum(conversions), sum(sale_minor), sum(commission_minor), sum(fee_minor), sum(merchant_cost_minor)
  FROM report_detail_hours GROUP BY 1, 2, 3, 4, 5, 6;
  INSERT INTO report_merchant_days (day, merchant_id, currency,
    clicks, unique_clicks, conversions, sale_minor, commission_minor, fee_minor, merchant_cost_minor)
  SELECT (hour AT TIME ZONE 'UTC')::date, merchant_id, currency,
    sum(clicks), sum(unique_clicks), sum(conversions), sum(sale_minor), sum(commission_minor), sum(fee_minor), sum(merchant_cost_minor)
  FROM report_hours GROUP BY 1, 2, 3;
$$;--> statement-breakpoint
SELECT report_rollups_rebuild();
