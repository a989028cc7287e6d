-- Receiving (issue 28): each client's receipt address code, and the documents that arrive at it,
-- one row per attachment of an e-mail (Resend's email.received), matched to an expense or left for the inbox.
CREATE TYPE "public"."inbound_state" AS ENUM('attached', 'suggested', 'unmatched', 'held', 'dismissed');--> statement-breakpoint
CREATE TABLE "inbound_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"email_id" text NOT NULL,
	"attachment_id" text NOT NULL,
	"sender" text NOT NULL,
	"sender_name" text,
	"subject" text NOT NULL,
	"filename" text NOT NULL,
	"file_id" uuid NOT NULL,
	"state" "inbound_state" NOT NULL,
	"expense_id" uuid,
	"evidence" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"handled_at" timestamp with time zone,
	"handled_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "receipt_code" text DEFAULT substr(replace(gen_random_uuid()::text, '-', ''), 1, 12) NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_documents" ADD CONSTRAINT "inbound_documents_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_documents" ADD CONSTRAINT "inbound_documents_expense_id_expenses_id_fk" FOREIGN KEY ("expense_id") REFERENCES "public"."expenses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_documents" ADD CONSTRAINT "inbound_documents_handled_by_users_id_fk" FOREIGN KEY ("handled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_documents" ADD CONSTRAINT "inbound_documents_firm_id_client_id_clients_firm_id_id_fk" FOREIGN KEY ("firm_id","client_id") REFERENCES "public"."clients"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_documents_once" ON "inbound_documents" USING btree ("email_id","attachment_id");--> statement-breakpoint
CREATE INDEX "inbound_documents_open" ON "inbound_documents" USING btree ("firm_id","received_at") WHERE "inbound_documents"."state" IN ('suggested', 'unmatched', 'held');--> statement-breakpoint
CREATE UNIQUE INDEX "clients_receipt_code" ON "clients" USING btree ("receipt_code");