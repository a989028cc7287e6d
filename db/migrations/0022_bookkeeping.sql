CREATE TYPE "public"."coding_state" AS ENUM('to_code', 'coded', 'reviewed');--> statement-breakpoint
CREATE TYPE "public"."export_preset" AS ENUM('fec', 'quadra', 'ebp');--> statement-breakpoint
CREATE TABLE "chart_accounts" (
	"firm_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"number" text NOT NULL,
	"label" text NOT NULL,
	"default_vat_rate_bp" integer DEFAULT 2000 NOT NULL,
	"default_deductible_pct" integer DEFAULT 100 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "chart_accounts_client_id_number_pk" PRIMARY KEY("client_id","number")
);
--> statement-breakpoint
CREATE TABLE "client_books" (
	"client_id" uuid PRIMARY KEY NOT NULL,
	"firm_id" uuid NOT NULL,
	"journal_code" text DEFAULT 'BQ' NOT NULL,
	"journal_label" text DEFAULT 'Banque carte' NOT NULL,
	"vat_account" text DEFAULT '44566' NOT NULL,
	"counterpart_account" text DEFAULT '512100' NOT NULL,
	"supplier_auxiliary" boolean DEFAULT false NOT NULL,
	"preset" "export_preset" DEFAULT 'fec' NOT NULL,
	"last_piece" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coding_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"client_id" uuid,
	"merchant_key" text NOT NULL,
	"merchant" text NOT NULL,
	"account" text NOT NULL,
	"vat_rate_bp" integer NOT NULL,
	"deductible_pct" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coding_rules_vat_rate" CHECK ("coding_rules"."vat_rate_bp" IN (0, 210, 550, 1000, 2000)),
	CONSTRAINT "coding_rules_deductible" CHECK ("coding_rules"."deductible_pct" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE TABLE "expense_lines" (
	"expense_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"account" text NOT NULL,
	"vat_rate_bp" integer NOT NULL,
	"gross_cents" bigint NOT NULL,
	"deductible_pct" integer NOT NULL,
	"analytic" text,
	CONSTRAINT "expense_lines_expense_id_line_no_pk" PRIMARY KEY("expense_id","line_no"),
	CONSTRAINT "expense_lines_vat_rate" CHECK ("expense_lines"."vat_rate_bp" IN (0, 210, 550, 1000, 2000)),
	CONSTRAINT "expense_lines_deductible" CHECK ("expense_lines"."deductible_pct" BETWEEN 0 AND 100)
);
--> statement-breakpoint
CREATE TABLE "export_entries" (
	"export_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"reversal" boolean DEFAULT false NOT NULL,
	"expense_id" uuid NOT NULL,
	"entry_date" date NOT NULL,
	"spent_on" date NOT NULL,
	"merchant" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	"currency" text NOT NULL,
	"category" text,
	"receipt_state" "receipt_state" NOT NULL,
	"receipt_file_id" uuid,
	"piece_ref" text NOT NULL,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "export_entries_export_id_position_pk" PRIMARY KEY("export_id","position")
);
--> statement-breakpoint
ALTER TABLE "expense_exports" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "expense_exports" ADD COLUMN "cancelled_by" uuid;--> statement-breakpoint
ALTER TABLE "expense_exports" ADD COLUMN "reversed_in" uuid;--> statement-breakpoint
ALTER TABLE "expense_exports" ADD COLUMN "books" jsonb;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "platform_ready" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "coding_state" "coding_state" DEFAULT 'to_code' NOT NULL;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "coding_suggested" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "coded_by" uuid;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "coded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "piece_ref" text;--> statement-breakpoint
ALTER TABLE "chart_accounts" ADD CONSTRAINT "chart_accounts_firm_id_client_id_clients_firm_id_id_fk" FOREIGN KEY ("firm_id","client_id") REFERENCES "public"."clients"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_books" ADD CONSTRAINT "client_books_firm_id_client_id_clients_firm_id_id_fk" FOREIGN KEY ("firm_id","client_id") REFERENCES "public"."clients"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coding_rules" ADD CONSTRAINT "coding_rules_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coding_rules" ADD CONSTRAINT "coding_rules_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expense_lines" ADD CONSTRAINT "expense_lines_expense_id_expenses_id_fk" FOREIGN KEY ("expense_id") REFERENCES "public"."expenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "export_entries" ADD CONSTRAINT "export_entries_export_id_expense_exports_id_fk" FOREIGN KEY ("export_id") REFERENCES "public"."expense_exports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "coding_rules_key" ON "coding_rules" USING btree ("firm_id",coalesce("client_id", '00000000-0000-0000-0000-000000000000'::uuid),"merchant_key");--> statement-breakpoint
CREATE INDEX "expenses_by_client_coding" ON "expenses" USING btree ("client_id","coding_state","spent_on");