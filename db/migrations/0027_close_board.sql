CREATE TABLE "client_months" (
	"firm_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"month" date NOT NULL,
	"sort_name" text COLLATE "C" DEFAULT '' NOT NULL,
	"close_on" date,
	"vat_due_on" date,
	"expenses" integer DEFAULT 0 NOT NULL,
	"missing" integer DEFAULT 0 NOT NULL,
	"to_code" integer DEFAULT 0 NOT NULL,
	"to_review" integer DEFAULT 0 NOT NULL,
	"not_exported" integer DEFAULT 0 NOT NULL,
	"progressed" integer DEFAULT 0 NOT NULL,
	"vat_at_risk_cents" bigint DEFAULT 0 NOT NULL,
	"after_close" integer DEFAULT 0 NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"close_override" text,
	"status" text GENERATED ALWAYS AS (CASE WHEN closed_at IS NOT NULL THEN 'closed' WHEN missing = 0 AND to_code = 0 AND to_review = 0 AND not_exported = 0 THEN 'ready' WHEN progressed > 0 THEN 'in_progress' ELSE 'todo' END) STORED NOT NULL,
	CONSTRAINT "client_months_client_id_month_pk" PRIMARY KEY("client_id","month")
);
--> statement-breakpoint
CREATE TABLE "close_periods" (
	"firm_id" uuid NOT NULL,
	"month" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "close_periods_firm_id_month_pk" PRIMARY KEY("firm_id","month")
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "close_preparer_id" uuid;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "close_reviewer_id" uuid;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "deductible_vat_cents" bigint;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "after_close" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "client_months" ADD CONSTRAINT "client_months_firm_id_client_id_clients_firm_id_id_fk" FOREIGN KEY ("firm_id","client_id") REFERENCES "public"."clients"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "close_periods" ADD CONSTRAINT "close_periods_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "client_months_by_close" ON "client_months" USING btree ("firm_id","month","close_on","sort_name","client_id");--> statement-breakpoint
CREATE INDEX "client_months_by_vat" ON "client_months" USING btree ("firm_id","month","vat_at_risk_cents" DESC NULLS LAST,"sort_name","client_id");--> statement-breakpoint
CREATE INDEX "client_months_by_missing" ON "client_months" USING btree ("firm_id","month","missing" DESC NULLS LAST,"sort_name","client_id");--> statement-breakpoint
CREATE INDEX "client_months_by_to_code" ON "client_months" USING btree ("firm_id","month","to_code" DESC NULLS LAST,"sort_name","client_id");--> statement-breakpoint
CREATE INDEX "client_months_status_by_close" ON "client_months" USING btree ("firm_id","month","status","close_on","sort_name","client_id");--> statement-breakpoint
CREATE INDEX "client_months_status_by_vat" ON "client_months" USING btree ("firm_id","month","status","vat_at_risk_cents" DESC NULLS LAST,"sort_name","client_id");--> statement-breakpoint
CREATE INDEX "client_months_status_by_missing" ON "client_months" USING btree ("firm_id","month","status","missing" DESC NULLS LAST,"sort_name","client_id");--> statement-breakpoint
CREATE INDEX "client_months_status_by_to_code" ON "client_months" USING btree ("firm_id","month","status","to_code" DESC NULLS LAST,"sort_name","client_id");--> statement-breakpoint
CREATE INDEX "client_months_undated" ON "client_months" USING btree ("firm_id","month") WHERE "client_months"."close_on" IS NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_close_preparer_id_users_id_fk" FOREIGN KEY ("close_preparer_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_close_reviewer_id_users_id_fk" FOREIGN KEY ("close_reviewer_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expenses_after_close" ON "expenses" USING btree ("client_id","spent_on") WHERE "expenses"."after_close";