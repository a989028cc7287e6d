CREATE TABLE "file_chunks" (
	"file_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "file_chunks_file_id_seq_pk" PRIMARY KEY("file_id","seq")
);
--> statement-breakpoint
CREATE TABLE "receipt_followups" (
	"request_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"batch_key" text,
	"locked_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "receipt_followups_request_id_step_pk" PRIMARY KEY("request_id","step")
);
--> statement-breakpoint
CREATE TABLE "receipt_request_items" (
	"request_id" uuid NOT NULL,
	"expense_id" uuid NOT NULL,
	CONSTRAINT "receipt_request_items_request_id_expense_id_pk" PRIMARY KEY("request_id","expense_id")
);
--> statement-breakpoint
CREATE TABLE "receipt_request_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"request_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "receipt_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"recipient_email" text NOT NULL,
	"recipient_name" text,
	"message" text DEFAULT '' NOT NULL,
	"paris_day" date NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"form_token" uuid NOT NULL,
	"provider_message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stored_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"driver" text NOT NULL,
	"content_type" text NOT NULL,
	"size" bigint DEFAULT 0 NOT NULL,
	"complete" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "receipt_file_id" uuid;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "receipt_reason" text;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "receipt_answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "file_chunks" ADD CONSTRAINT "file_chunks_file_id_stored_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."stored_files"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_followups" ADD CONSTRAINT "receipt_followups_request_id_receipt_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."receipt_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_request_items" ADD CONSTRAINT "receipt_request_items_request_id_receipt_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."receipt_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_request_items" ADD CONSTRAINT "receipt_request_items_expense_id_expenses_id_fk" FOREIGN KEY ("expense_id") REFERENCES "public"."expenses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_request_links" ADD CONSTRAINT "receipt_request_links_request_id_receipt_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."receipt_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_requests" ADD CONSTRAINT "receipt_requests_firm_id_client_id_clients_firm_id_id_fk" FOREIGN KEY ("firm_id","client_id") REFERENCES "public"."clients"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_requests" ADD CONSTRAINT "receipt_requests_firm_id_requested_by_users_firm_id_id_fk" FOREIGN KEY ("firm_id","requested_by") REFERENCES "public"."users"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "receipt_request_items_by_expense" ON "receipt_request_items" USING btree ("expense_id");--> statement-breakpoint
CREATE INDEX "receipt_request_links_by_request" ON "receipt_request_links" USING btree ("request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "receipt_requests_form_key" ON "receipt_requests" USING btree ("form_token","recipient_email");--> statement-breakpoint
CREATE INDEX "receipt_requests_by_client" ON "receipt_requests" USING btree ("firm_id","client_id","created_at");--> statement-breakpoint
CREATE INDEX "receipt_requests_open" ON "receipt_requests" USING btree ("paris_day") WHERE cancelled_at IS NULL;