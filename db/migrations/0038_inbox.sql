-- « Boîte de réception »: what came back through a request link (a receipt, « pas de reçu », an answer),
-- one row each, written in the answer's transaction, open until someone of the firm handles it. The
-- digest now counts it per client, so the index on a request's requester has no reader left.
CREATE TYPE "public"."inbox_kind" AS ENUM('receipt', 'no_receipt', 'answer');--> statement-breakpoint
CREATE TABLE "inbox_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"expense_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" "inbox_kind" NOT NULL,
	"sender" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"handled_at" timestamp with time zone,
	"handled_by" uuid
);
--> statement-breakpoint
DROP INDEX "receipt_requests_by_requester";--> statement-breakpoint
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_expense_id_expenses_id_fk" FOREIGN KEY ("expense_id") REFERENCES "public"."expenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_request_id_receipt_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."receipt_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_handled_by_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbox_items" ADD CONSTRAINT "inbox_items_firm_id_client_id_clients_firm_id_id_fk" FOREIGN KEY ("firm_id","client_id") REFERENCES "public"."clients"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_items_once" ON "inbox_items" USING btree ("request_id","expense_id","kind");--> statement-breakpoint
CREATE INDEX "inbox_items_open" ON "inbox_items" USING btree ("firm_id","created_at") WHERE "inbox_items"."handled_at" IS NULL;--> statement-breakpoint
CREATE INDEX "inbox_items_by_firm" ON "inbox_items" USING btree ("firm_id","created_at");--> statement-breakpoint
CREATE INDEX "inbox_items_by_client" ON "inbox_items" USING btree ("client_id","created_at");