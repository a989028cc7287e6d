CREATE TABLE "expense_tombstones" (
	"platform_id" text PRIMARY KEY NOT NULL,
	"client_id" uuid,
	"version" bigint NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "balance_as_of" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "platform_id" text;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "card_holder_name" text;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "card_holder_email" text;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "expenses" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "expense_tombstones" ADD CONSTRAINT "expense_tombstones_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "expenses_platform_id_key" ON "expenses" USING btree ("platform_id");