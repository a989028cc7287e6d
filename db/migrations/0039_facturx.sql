-- Factur-X: the figures of an e-invoice read from an expense's receipt (its embedded CII XML), and
-- whether its VAT per rate became the expense's coding.
CREATE TABLE "expense_invoices" (
	"expense_id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"type_code" text NOT NULL,
	"issued_on" date NOT NULL,
	"seller_name" text NOT NULL,
	"seller_siren" text,
	"seller_vat_number" text,
	"currency" text NOT NULL,
	"net_cents" bigint NOT NULL,
	"vat_cents" bigint NOT NULL,
	"total_cents" bigint NOT NULL,
	"vat_lines" jsonb NOT NULL,
	"coding" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "expense_invoices" ADD CONSTRAINT "expense_invoices_expense_id_expenses_id_fk" FOREIGN KEY ("expense_id") REFERENCES "public"."expenses"("id") ON DELETE cascade ON UPDATE no action;