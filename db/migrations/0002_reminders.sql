CREATE TYPE "public"."recipient_state" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "public"."reminder_task" AS ENUM('missing_receipts', 'ready_to_export', 'balance');--> statement-breakpoint
CREATE TABLE "reminder_recipients" (
	"reminder_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"state" "recipient_state" DEFAULT 'pending' NOT NULL,
	"provider_message_id" text,
	"last_error" text,
	CONSTRAINT "reminder_recipients_reminder_id_user_id_pk" PRIMARY KEY("reminder_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"sender_id" uuid NOT NULL,
	"tasks" "reminder_task"[] NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"missing_receipts" integer NOT NULL,
	"ready_to_export" integer NOT NULL,
	"balance_cents" bigint NOT NULL,
	"currency" text NOT NULL,
	"form_token" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reminder_recipients" ADD CONSTRAINT "reminder_recipients_reminder_id_reminders_id_fk" FOREIGN KEY ("reminder_id") REFERENCES "public"."reminders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_recipients" ADD CONSTRAINT "reminder_recipients_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_firm_id_client_id_clients_firm_id_id_fk" FOREIGN KEY ("firm_id","client_id") REFERENCES "public"."clients"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_firm_id_sender_id_users_firm_id_id_fk" FOREIGN KEY ("firm_id","sender_id") REFERENCES "public"."users"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reminders_form_token_key" ON "reminders" USING btree ("form_token");--> statement-breakpoint
CREATE INDEX "reminders_by_client" ON "reminders" USING btree ("firm_id","client_id","created_at");