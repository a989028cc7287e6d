CREATE TABLE "expense_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"expense_count" integer NOT NULL,
	"total_cents" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "export_id" uuid;--> statement-breakpoint
ALTER TABLE "expense_exports" ADD CONSTRAINT "expense_exports_firm_id_client_id_clients_firm_id_id_fk" FOREIGN KEY ("firm_id","client_id") REFERENCES "public"."clients"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expense_exports" ADD CONSTRAINT "expense_exports_firm_id_created_by_users_firm_id_id_fk" FOREIGN KEY ("firm_id","created_by") REFERENCES "public"."users"("firm_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expense_exports_by_client" ON "expense_exports" USING btree ("firm_id","client_id","created_at");--> statement-breakpoint
CREATE INDEX "expenses_by_export" ON "expenses" USING btree ("export_id","spent_on","id");--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_export_id_fk" FOREIGN KEY ("export_id") REFERENCES "public"."expense_exports"("id") ON DELETE SET NULL;
