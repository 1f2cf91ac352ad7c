-- Facet counts scan these rows; keeping the JSON document and the tsvector out of line (TOAST)
-- leaves a narrow heap, so a scan reads a fraction of the pages.
ALTER TABLE "offer_search_documents" SET (toast_tuple_target = 128);--> statement-breakpoint
ALTER TABLE "offer_search_documents" ALTER COLUMN "document" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "offer_search_documents" ALTER COLUMN "search_vector" SET STORAGE EXTERNAL;
