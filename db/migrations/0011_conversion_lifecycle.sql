CREATE TYPE "public"."conversion_actor_kind" AS ENUM('merchant', 'publisher', 'staff', 'job', 'postback');--> statement-breakpoint
CREATE TYPE "public"."conversion_hold" AS ENUM('none', 'held', 'cleared');--> statement-breakpoint
CREATE TYPE "public"."ledger_account_kind" AS ENUM('merchant_receivable', 'publisher_payable', 'network_revenue', 'cash');--> statement-breakpoint
CREATE TYPE "public"."ledger_posting_kind" AS ENUM('conversion_approval', 'conversion_reversal');--> statement-breakpoint
CREATE TYPE "public"."stats_subject" AS ENUM('offer', 'merchant');--> statement-breakpoint
CREATE TYPE "public"."postback_delivery_status" AS ENUM('pending', 'delivered', 'failed');--> statement-breakpoint
CREATE TABLE "login_addresses" (
	"user_id" uuid NOT NULL,
	"ip_hmac" text NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "login_addresses_user_id_ip_hmac_pk" PRIMARY KEY("user_id","ip_hmac")
);
--> statement-breakpoint
CREATE TABLE "conversion_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conversion_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"conversion_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"publisher_id" uuid NOT NULL,
	"from_status" "conversion_status",
	"to_status" "conversion_status" NOT NULL,
	"from_hold" "conversion_hold",
	"to_hold" "conversion_hold" NOT NULL,
	"reason" text,
	"note" text,
	"actor_kind" "conversion_actor_kind" NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversion_notices" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conversion_notices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"organization_id" uuid NOT NULL,
	"event_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fraud_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"min_click_seconds" integer NOT NULL,
	"max_clicks_per_ip_hour" integer NOT NULL,
	"self_traffic_days" integer NOT NULL,
	"burst_conversions" integer NOT NULL,
	"burst_minutes" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_accounts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" "ledger_account_kind" NOT NULL,
	"organization_id" uuid,
	"currency" char(3) NOT NULL,
	"balance_minor" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_key" UNIQUE NULLS NOT DISTINCT("kind","organization_id","currency")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"posting_id" bigint NOT NULL,
	"account_id" bigint NOT NULL,
	"amount_minor" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_postings" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_postings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" "ledger_posting_kind" NOT NULL,
	"currency" char(3) NOT NULL,
	"conversion_id" uuid,
	"reverses_posting_id" bigint,
	"memo" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "marketplace_stats" (
	"subject" "stats_subject" NOT NULL,
	"subject_id" uuid NOT NULL,
	"window_days" smallint NOT NULL,
	"clicks" bigint NOT NULL,
	"conversions" integer NOT NULL,
	"decided" integer NOT NULL,
	"approved" integer NOT NULL,
	"reversed" integer NOT NULL,
	"commission_minor" bigint NOT NULL,
	"currency" char(3),
	"epc_minor" integer,
	"conversion_rate_bps" integer,
	"approval_rate_bps" integer,
	"avg_decision_hours" integer,
	"reversal_rate_bps" integer,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "marketplace_stats_subject_subject_id_window_days_pk" PRIMARY KEY("subject","subject_id","window_days")
);
--> statement-breakpoint
CREATE TABLE "postback_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "postback_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"delivery_id" bigint NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"http_status" smallint,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "postback_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "postback_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"publisher_id" uuid NOT NULL,
	"postback_id" uuid,
	"conversion_id" uuid,
	"trigger" text NOT NULL,
	"url" text NOT NULL,
	"status" "postback_delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_http_status" smallint,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "publisher_postbacks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"publisher_id" uuid NOT NULL,
	"offer_id" uuid,
	"url_template" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "publisher_postbacks_scope_key" UNIQUE NULLS NOT DISTINCT("publisher_id","offer_id")
);
--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "customer_country" char(2);--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "hold" "conversion_hold" DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "fraud_signals" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "screened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "login_addresses" ADD CONSTRAINT "login_addresses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_events" ADD CONSTRAINT "conversion_events_conversion_id_conversions_id_fk" FOREIGN KEY ("conversion_id") REFERENCES "public"."conversions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_events" ADD CONSTRAINT "conversion_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_notices" ADD CONSTRAINT "conversion_notices_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_notices" ADD CONSTRAINT "conversion_notices_event_id_conversion_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."conversion_events"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_posting_id_ledger_postings_id_fk" FOREIGN KEY ("posting_id") REFERENCES "public"."ledger_postings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_account_id_ledger_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_conversion_id_conversions_id_fk" FOREIGN KEY ("conversion_id") REFERENCES "public"."conversions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD CONSTRAINT "ledger_postings_reverses_posting_id_ledger_postings_id_fk" FOREIGN KEY ("reverses_posting_id") REFERENCES "public"."ledger_postings"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postback_attempts" ADD CONSTRAINT "postback_attempts_delivery_id_postback_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."postback_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postback_deliveries" ADD CONSTRAINT "postback_deliveries_publisher_id_organizations_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postback_deliveries" ADD CONSTRAINT "postback_deliveries_postback_id_publisher_postbacks_id_fk" FOREIGN KEY ("postback_id") REFERENCES "public"."publisher_postbacks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publisher_postbacks" ADD CONSTRAINT "publisher_postbacks_publisher_id_organizations_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publisher_postbacks" ADD CONSTRAINT "publisher_postbacks_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "login_addresses_ip_idx" ON "login_addresses" USING btree ("ip_hmac","last_seen_at");--> statement-breakpoint
CREATE INDEX "conversion_events_conversion_idx" ON "conversion_events" USING btree ("conversion_id","id");--> statement-breakpoint
CREATE INDEX "conversion_notices_org_idx" ON "conversion_notices" USING btree ("organization_id","id");--> statement-breakpoint
CREATE INDEX "ledger_entries_posting_idx" ON "ledger_entries" USING btree ("posting_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_account_idx" ON "ledger_entries" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_postings_approval_key" ON "ledger_postings" USING btree ("conversion_id") WHERE "ledger_postings"."kind" = 'conversion_approval';--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_postings_reversal_key" ON "ledger_postings" USING btree ("conversion_id") WHERE "ledger_postings"."kind" = 'conversion_reversal';--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_postings_reverses_key" ON "ledger_postings" USING btree ("reverses_posting_id");--> statement-breakpoint
CREATE INDEX "ledger_postings_created_idx" ON "ledger_postings" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "postback_attempts_delivery_idx" ON "postback_attempts" USING btree ("delivery_id","attempt");--> statement-breakpoint
CREATE INDEX "postback_deliveries_publisher_idx" ON "postback_deliveries" USING btree ("publisher_id","id");--> statement-breakpoint
CREATE INDEX "postback_deliveries_pending_idx" ON "postback_deliveries" USING btree ("created_at") WHERE "postback_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "conversions_due_idx" ON "conversions" USING btree ("validation_ends_at") WHERE "conversions"."status" = 'pending' and "conversions"."hold" <> 'held';--> statement-breakpoint
CREATE INDEX "conversions_unscreened_idx" ON "conversions" USING btree ("created_at") WHERE "conversions"."screened_at" is null;--> statement-breakpoint
CREATE INDEX "conversions_held_idx" ON "conversions" USING btree ("created_at") WHERE "conversions"."hold" = 'held' and "conversions"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "conversions_click_ip_idx" ON "conversions" USING btree ("click_ip_hmac","created_at");--> statement-breakpoint
-- Conversions recorded before fraud screening existed count as screened, so auto-approval takes them.
UPDATE "conversions" SET "screened_at" = "created_at" WHERE "screened_at" IS NULL;--> statement-breakpoint
-- Before the lifecycle the only decision after recording was a refund; a rejection at recording is the engine's, not a decision.
UPDATE "conversions" SET "decided_at" = "status_changed_at" WHERE "status" <> 'pending' AND "reason" = 'returned';--> statement-breakpoint
-- What the ledger books must add up: a conversion breaking it would fail every batch it is approved in.
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_cost_is_commission_plus_fee" CHECK ("merchant_cost_minor" = "commission_minor" + "fee_minor");--> statement-breakpoint
-- Ledger rows and conversion events are append-only: history is corrected by a new row, never an edit.
CREATE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER ledger_postings_append_only BEFORE UPDATE OR DELETE ON ledger_postings FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER ledger_postings_no_truncate BEFORE TRUNCATE ON ledger_postings FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
-- Every column but actor_user_id: deleting a user sets it null (the label still says who acted).
CREATE TRIGGER conversion_events_append_only BEFORE UPDATE OF id, conversion_id, merchant_id, publisher_id, from_status, to_status, from_hold, to_hold, reason, note, actor_kind, actor_label, created_at OR DELETE ON conversion_events FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
-- Checked at commit (deferred), once the posting's entries are all written: they must sum to zero,
-- be on accounts in the posting's currency, and be at least two.
CREATE FUNCTION check_ledger_posting() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  posting bigint;
  total numeric;
  entries integer;
  foreign_currency integer;
BEGIN
  IF TG_TABLE_NAME = 'ledger_postings' THEN
    posting := NEW.id;
  ELSE
    posting := NEW.posting_id;
  END IF;
  SELECT coalesce(sum(e.amount_minor), 0), count(e.id), count(*) FILTER (WHERE a.currency <> p.currency)
    INTO total, entries, foreign_currency
    FROM ledger_postings p
    LEFT JOIN ledger_entries e ON e.posting_id = p.id
    LEFT JOIN ledger_accounts a ON a.id = e.account_id
   WHERE p.id = posting;
  IF total <> 0 THEN
    RAISE EXCEPTION 'ledger posting % does not balance: its entries sum to %', posting, total USING ERRCODE = 'check_violation';
  END IF;
  IF entries < 2 THEN
    RAISE EXCEPTION 'ledger posting % has % entries; a posting needs at least two', posting, entries USING ERRCODE = 'check_violation';
  END IF;
  IF foreign_currency > 0 THEN
    RAISE EXCEPTION 'ledger posting % has entries on accounts in another currency', posting USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_postings_balanced AFTER INSERT ON ledger_postings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_ledger_posting();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_ledger_posting();--> statement-breakpoint
-- Fraud screening counts a click's address's clicks on its link in the hour before it: a lookup, not
-- a scan of the day's partition. On the partitioned table, so every daily partition has it.
CREATE INDEX "clicks_link_address_idx" ON "clicks" USING btree ("link_id", "ip_hmac", "clicked_at");
