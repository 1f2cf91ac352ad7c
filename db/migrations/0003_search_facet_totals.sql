CREATE TABLE "search_facet_totals" (
	"facet" text NOT NULL,
	"value" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "search_facet_totals_facet_value_pk" PRIMARY KEY("facet","value")
);
