CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TYPE "public"."country_mode" AS ENUM('all', 'include', 'exclude');--> statement-breakpoint
CREATE TYPE "public"."offer_status" AS ENUM('draft', 'in_review', 'active', 'paused', 'archived');--> statement-breakpoint
CREATE TYPE "public"."offer_visibility" AS ENUM('public', 'approval', 'private');--> statement-breakpoint
CREATE TYPE "public"."application_status" AS ENUM('pending', 'approved', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."partnership_status" AS ENUM('invited', 'active', 'paused', 'ended');--> statement-breakpoint
CREATE TABLE "fee_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid,
	"bps" integer NOT NULL,
	"minimums" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offer_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "offer_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"offer_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"summary" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offer_niches" (
	"offer_id" uuid NOT NULL,
	"niche_slug" text NOT NULL,
	CONSTRAINT "offer_niches_offer_id_niche_slug_pk" PRIMARY KEY("offer_id","niche_slug")
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"landing_url" text NOT NULL,
	"deep_link_domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"country_mode" "country_mode" DEFAULT 'all' NOT NULL,
	"countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"traffic_sources" text[] DEFAULT '{}'::text[] NOT NULL,
	"currency" char(3) NOT NULL,
	"terms" jsonb NOT NULL,
	"cookie_days" integer NOT NULL,
	"validation_days" integer NOT NULL,
	"caps" jsonb NOT NULL,
	"terms_and_conditions" text DEFAULT '' NOT NULL,
	"creatives" jsonb NOT NULL,
	"visibility" "offer_visibility" NOT NULL,
	"questions" text[] DEFAULT '{}'::text[] NOT NULL,
	"auto_approve" boolean DEFAULT false NOT NULL,
	"reapply_cooldown_days" integer DEFAULT 30 NOT NULL,
	"status" "offer_status" DEFAULT 'draft' NOT NULL,
	"review_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offer_id" uuid NOT NULL,
	"publisher_id" uuid NOT NULL,
	"status" "application_status" DEFAULT 'pending' NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"answers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"terms_accepted_at" timestamp with time zone NOT NULL,
	"decision_reason" text,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partnerships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offer_id" uuid NOT NULL,
	"publisher_id" uuid NOT NULL,
	"status" "partnership_status" NOT NULL,
	"custom_terms" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offer_search_documents" (
	"offer_id" uuid PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"niches" text[] NOT NULL,
	"countries" text[] NOT NULL,
	"payout_type" text NOT NULL,
	"approval_mode" text NOT NULL,
	"epc_minor" integer,
	"commission_bps" integer NOT NULL,
	"commission_flat_minor" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"search_vector" "tsvector" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "search_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"offer_id" uuid NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fee_policies" ADD CONSTRAINT "fee_policies_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_changes" ADD CONSTRAINT "offer_changes_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_changes" ADD CONSTRAINT "offer_changes_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_niches" ADD CONSTRAINT "offer_niches_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_niches" ADD CONSTRAINT "offer_niches_niche_slug_niches_slug_fk" FOREIGN KEY ("niche_slug") REFERENCES "public"."niches"("slug") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_publisher_id_organizations_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_publisher_id_organizations_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "fee_policies_merchant_key" ON "fee_policies" USING btree ("merchant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fee_policies_default_key" ON "fee_policies" USING btree ((true)) WHERE "fee_policies"."merchant_id" is null;--> statement-breakpoint
CREATE INDEX "offer_changes_offer_idx" ON "offer_changes" USING btree ("offer_id","created_at");--> statement-breakpoint
CREATE INDEX "offers_merchant_idx" ON "offers" USING btree ("merchant_id","status");--> statement-breakpoint
CREATE INDEX "offers_status_idx" ON "offers" USING btree ("status","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "applications_open_key" ON "applications" USING btree ("offer_id","publisher_id") WHERE "applications"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "applications_publisher_idx" ON "applications" USING btree ("publisher_id","created_at");--> statement-breakpoint
CREATE INDEX "applications_offer_idx" ON "applications" USING btree ("offer_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "partnerships_offer_publisher_key" ON "partnerships" USING btree ("offer_id","publisher_id");--> statement-breakpoint
CREATE INDEX "partnerships_publisher_idx" ON "partnerships" USING btree ("publisher_id");--> statement-breakpoint
CREATE INDEX "offer_search_vector_idx" ON "offer_search_documents" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "offer_search_niches_idx" ON "offer_search_documents" USING gin ("niches");--> statement-breakpoint
CREATE INDEX "offer_search_countries_idx" ON "offer_search_documents" USING gin ("countries");--> statement-breakpoint
CREATE INDEX "offer_search_created_idx" ON "offer_search_documents" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "offer_search_epc_idx" ON "offer_search_documents" USING btree ("epc_minor" desc nulls last);--> statement-breakpoint
CREATE INDEX "offer_search_commission_idx" ON "offer_search_documents" USING btree ("commission_bps" desc,"commission_flat_minor" desc);--> statement-breakpoint
CREATE INDEX "search_outbox_due_idx" ON "search_outbox" USING btree ("next_attempt_at");--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
-- The network-wide default fee: 20% of the commission, no minimum.
INSERT INTO "fee_policies" ("merchant_id", "bps", "minimums") VALUES (NULL, 2000, '{}');
