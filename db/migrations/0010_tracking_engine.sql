CREATE TYPE "public"."attribution_kind" AS ENUM('click', 'coupon');--> statement-breakpoint
CREATE TYPE "public"."conversion_status" AS ENUM('pending', 'approved', 'rejected', 'reversed');--> statement-breakpoint
CREATE TABLE "click_daily" (
	"day" date NOT NULL,
	"partnership_id" uuid NOT NULL,
	"link_id" bigint NOT NULL,
	"offer_id" uuid NOT NULL,
	"publisher_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"clicks" integer NOT NULL,
	"unique_clicks" integer NOT NULL,
	"bot_clicks" integer NOT NULL,
	CONSTRAINT "click_daily_partnership_id_day_pk" PRIMARY KEY("partnership_id","day")
);
--> statement-breakpoint
CREATE TABLE "click_uniques" (
	"link_id" bigint NOT NULL,
	"ip_hmac" text NOT NULL,
	"unique_at" timestamp with time zone NOT NULL,
	CONSTRAINT "click_uniques_link_id_ip_hmac_pk" PRIMARY KEY("link_id","ip_hmac")
);
--> statement-breakpoint
CREATE TABLE "clicks" (
	"click_id" text NOT NULL,
	"clicked_at" timestamp with time zone NOT NULL,
	"link_id" bigint NOT NULL,
	"partnership_id" uuid NOT NULL,
	"offer_id" uuid NOT NULL,
	"publisher_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"sub1" text,
	"sub2" text,
	"sub3" text,
	"sub4" text,
	"sub5" text,
	"ip_hmac" text NOT NULL,
	"user_agent" text,
	"referrer" text,
	"country" char(2),
	"is_bot" boolean NOT NULL,
	"is_unique" boolean NOT NULL,
	CONSTRAINT "clicks_click_id_clicked_at_pk" PRIMARY KEY("click_id","clicked_at")
) PARTITION BY RANGE ("clicked_at");
--> statement-breakpoint
CREATE TABLE "conversion_counters" (
	"scope_id" uuid NOT NULL,
	"period" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "conversion_counters_scope_id_period_pk" PRIMARY KEY("scope_id","period")
);
--> statement-breakpoint
CREATE TABLE "conversions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"offer_id" uuid NOT NULL,
	"partnership_id" uuid NOT NULL,
	"publisher_id" uuid NOT NULL,
	"attributed_by" "attribution_kind" NOT NULL,
	"link_id" bigint,
	"click_id" text,
	"clicked_at" timestamp with time zone,
	"coupon_code" text,
	"order_id" text NOT NULL,
	"event" text NOT NULL,
	"customer_id" text,
	"status" "conversion_status" NOT NULL,
	"reason" text,
	"sale_amount_minor" bigint NOT NULL,
	"commission_minor" bigint NOT NULL,
	"fee_minor" bigint NOT NULL,
	"merchant_cost_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"terms_snapshot" jsonb,
	"fee_snapshot" jsonb,
	"sub1" text,
	"sub2" text,
	"sub3" text,
	"sub4" text,
	"sub5" text,
	"click_country" char(2),
	"click_ip_hmac" text,
	"click_user_agent" text,
	"click_found" boolean DEFAULT false NOT NULL,
	"request_fingerprint" text NOT NULL,
	"is_test" boolean DEFAULT false NOT NULL,
	"validation_ends_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coupons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"partnership_id" uuid NOT NULL,
	"code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "postback_credentials" (
	"merchant_id" uuid PRIMARY KEY NOT NULL,
	"token_hash" text,
	"token_hint" text,
	"token_rotated_at" timestamp with time zone,
	"signing_secret" text,
	"secret_rotated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "postback_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "postback_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"merchant_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"parameters" jsonb NOT NULL,
	"authentication" text NOT NULL,
	"http_status" smallint NOT NULL,
	"outcome" text NOT NULL,
	"message" text NOT NULL,
	"conversion_id" uuid,
	"replayed" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_links" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tracking_links_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"partnership_id" uuid NOT NULL,
	"code" text DEFAULT translate(encode(substring(uuid_send(gen_random_uuid()) from 1 for 6) || substring(uuid_send(gen_random_uuid()) from 1 for 6), 'base64'), '+/', '-_') NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "click_id_param" text DEFAULT 'click_id' NOT NULL;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_publisher_id_organizations_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postback_credentials" ADD CONSTRAINT "postback_credentials_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "postback_log" ADD CONSTRAINT "postback_log_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_links" ADD CONSTRAINT "tracking_links_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "click_daily_merchant_idx" ON "click_daily" USING btree ("merchant_id","day");--> statement-breakpoint
CREATE INDEX "click_daily_publisher_idx" ON "click_daily" USING btree ("publisher_id","day");--> statement-breakpoint
CREATE INDEX "click_uniques_at_idx" ON "click_uniques" USING btree ("unique_at");--> statement-breakpoint
CREATE UNIQUE INDEX "conversions_order_key" ON "conversions" USING btree ("merchant_id","order_id","event");--> statement-breakpoint
CREATE INDEX "conversions_merchant_idx" ON "conversions" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "conversions_publisher_idx" ON "conversions" USING btree ("publisher_id","created_at");--> statement-breakpoint
CREATE INDEX "conversions_partnership_idx" ON "conversions" USING btree ("partnership_id","created_at");--> statement-breakpoint
CREATE INDEX "conversions_click_idx" ON "conversions" USING btree ("click_id");--> statement-breakpoint
CREATE INDEX "conversions_order_idx" ON "conversions" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "coupons_merchant_code_key" ON "coupons" USING btree ("merchant_id",lower("code"));--> statement-breakpoint
CREATE INDEX "coupons_partnership_idx" ON "coupons" USING btree ("partnership_id");--> statement-breakpoint
CREATE UNIQUE INDEX "postback_credentials_token_key" ON "postback_credentials" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "postback_log_merchant_idx" ON "postback_log" USING btree ("merchant_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_links_partnership_key" ON "tracking_links" USING btree ("partnership_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_links_code_key" ON "tracking_links" USING btree ("code");--> statement-breakpoint
-- A click whose day has no partition yet still lands somewhere; the partition job keeps this empty.
CREATE TABLE "clicks_default" PARTITION OF "clicks" DEFAULT;--> statement-breakpoint
-- One partition per UTC day, named clicks_YYYYMMDD; creating one that exists is a no-op.
CREATE FUNCTION "create_click_partition"(day date) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format(
    'CREATE TABLE IF NOT EXISTS %I PARTITION OF clicks FOR VALUES FROM (%L) TO (%L)',
    'clicks_' || to_char(day, 'YYYYMMDD'),
    (day::timestamp AT TIME ZONE 'UTC'),
    ((day + 1)::timestamp AT TIME ZONE 'UTC')
  );
END;
$$;--> statement-breakpoint
-- Every partnership has its tracking link from the moment it exists, whichever code path made it.
CREATE FUNCTION "create_tracking_link"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tracking_links (partnership_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "partnerships_tracking_link" AFTER INSERT ON "partnerships" FOR EACH ROW EXECUTE FUNCTION "create_tracking_link"();--> statement-breakpoint
INSERT INTO "tracking_links" ("partnership_id") SELECT "id" FROM "partnerships";--> statement-breakpoint
-- The link caches of every app instance listen on tracking_cache: each change names its table and row.
CREATE FUNCTION "notify_tracking_cache"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
BEGIN
  PERFORM pg_notify('tracking_cache', TG_TABLE_NAME || ':' || coalesce(changed ->> TG_ARGV[0], ''));
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "offers_tracking_cache" AFTER INSERT OR UPDATE OR DELETE ON "offers" FOR EACH ROW EXECUTE FUNCTION "notify_tracking_cache"('id');--> statement-breakpoint
CREATE TRIGGER "partnerships_tracking_cache" AFTER INSERT OR UPDATE OR DELETE ON "partnerships" FOR EACH ROW EXECUTE FUNCTION "notify_tracking_cache"('id');--> statement-breakpoint
CREATE TRIGGER "organizations_tracking_cache" AFTER INSERT OR UPDATE OR DELETE ON "organizations" FOR EACH ROW EXECUTE FUNCTION "notify_tracking_cache"('id');--> statement-breakpoint
CREATE TRIGGER "fee_policies_tracking_cache" AFTER INSERT OR UPDATE OR DELETE ON "fee_policies" FOR EACH ROW EXECUTE FUNCTION "notify_tracking_cache"('merchant_id');--> statement-breakpoint
CREATE TRIGGER "coupons_tracking_cache" AFTER INSERT OR UPDATE OR DELETE ON "coupons" FOR EACH ROW EXECUTE FUNCTION "notify_tracking_cache"('merchant_id');--> statement-breakpoint
CREATE TRIGGER "postback_credentials_tracking_cache" AFTER INSERT OR UPDATE OR DELETE ON "postback_credentials" FOR EACH ROW EXECUTE FUNCTION "notify_tracking_cache"('merchant_id');--> statement-breakpoint
CREATE TRIGGER "tracking_links_tracking_cache" AFTER INSERT OR UPDATE OR DELETE ON "tracking_links" FOR EACH ROW EXECUTE FUNCTION "notify_tracking_cache"('partnership_id');