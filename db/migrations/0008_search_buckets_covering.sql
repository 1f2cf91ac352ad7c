DROP INDEX "offer_search_created_idx";--> statement-breakpoint
DROP INDEX "offer_search_sample_idx";--> statement-breakpoint
ALTER TABLE "offer_search_documents" ADD COLUMN "title_vector" "tsvector";--> statement-breakpoint
ALTER TABLE "offer_search_documents" ADD COLUMN "headline_vector" "tsvector";--> statement-breakpoint
-- Indexed offers get their vectors from their stored documents, as the engine writes them.
UPDATE "offer_search_documents" SET
  "title_vector" = to_tsvector('english', "document"->>'title'),
  "headline_vector" = to_tsvector('english', concat_ws(' ', "document"->>'title', "document"->>'merchantName',
    (SELECT string_agg(n, ' ') FROM jsonb_array_elements_text("document"->'nicheNames') n)));--> statement-breakpoint
ALTER TABLE "offer_search_documents" ALTER COLUMN "title_vector" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "offer_search_documents" ALTER COLUMN "headline_vector" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "search_words" ADD COLUMN "in_title" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "search_words" ADD COLUMN "in_headline" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE INDEX "offer_search_title_idx" ON "offer_search_documents" USING gin ("title_vector");--> statement-breakpoint
CREATE INDEX "offer_search_headline_idx" ON "offer_search_documents" USING gin ("headline_vector");--> statement-breakpoint
CREATE INDEX "offer_search_created_idx" ON "offer_search_documents" USING btree ("created_at","offer_id","payout_type","approval_mode","niches","countries","title_vector","headline_vector");--> statement-breakpoint
CREATE INDEX "offer_search_sample_idx" ON "offer_search_documents" USING btree ("sample_key","payout_type","approval_mode","niches","countries");