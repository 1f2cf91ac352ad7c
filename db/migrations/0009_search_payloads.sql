CREATE TABLE "offer_search_payloads" (
	"offer_id" uuid PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL
);
--> statement-breakpoint
-- Indexed offers keep their documents; the rows that counts scan shed them.
INSERT INTO "offer_search_payloads" ("offer_id", "document") SELECT "offer_id", "document" FROM "offer_search_documents";--> statement-breakpoint
ALTER TABLE "offer_search_documents" DROP COLUMN "document";