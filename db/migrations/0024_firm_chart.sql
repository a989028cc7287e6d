CREATE TABLE "firm_chart_accounts" (
	"firm_id" uuid NOT NULL,
	"number" text NOT NULL,
	"label" text NOT NULL,
	"default_vat_rate_bp" integer DEFAULT 2000 NOT NULL,
	"default_deductible_pct" integer DEFAULT 100 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "firm_chart_accounts_firm_id_number_pk" PRIMARY KEY("firm_id","number")
);
--> statement-breakpoint
ALTER TABLE "firm_chart_accounts" ADD CONSTRAINT "firm_chart_accounts_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;