CREATE TYPE "public"."delivery_state" AS ENUM('pending', 'sending', 'sent', 'skipped', 'failed');--> statement-breakpoint
CREATE TYPE "public"."digest_frequency" AS ENUM('daily', 'weekly', 'monthly');--> statement-breakpoint
CREATE TABLE "digest_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"paris_day" date NOT NULL,
	"state" "delivery_state" DEFAULT 'pending' NOT NULL,
	"batch_key" text,
	"locked_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"provider_message_id" text,
	"to_address" text,
	"subject" text,
	"html" text,
	"text" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "digest_delivery_items" (
	"delivery_id" uuid NOT NULL,
	"subscription_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"slot_at" timestamp with time zone NOT NULL,
	CONSTRAINT "digest_delivery_items_delivery_id_subscription_id_pk" PRIMARY KEY("delivery_id","subscription_id")
);
--> statement-breakpoint
CREATE TABLE "notification_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"enabled" boolean NOT NULL,
	"frequency" "digest_frequency" NOT NULL,
	"first_slot_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text,
	"from_address" text NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"html" text NOT NULL,
	"text" text NOT NULL,
	"headers" text DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "digest_deliveries" ADD CONSTRAINT "digest_deliveries_firm_id_user_id_users_firm_id_id_fk" FOREIGN KEY ("firm_id","user_id") REFERENCES "public"."users"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digest_delivery_items" ADD CONSTRAINT "digest_delivery_items_delivery_id_digest_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."digest_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digest_delivery_items" ADD CONSTRAINT "digest_delivery_items_subscription_id_notification_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."notification_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_subscriptions" ADD CONSTRAINT "notification_subscriptions_firm_id_client_id_clients_firm_id_id_fk" FOREIGN KEY ("firm_id","client_id") REFERENCES "public"."clients"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_subscriptions" ADD CONSTRAINT "notification_subscriptions_firm_id_user_id_users_firm_id_id_fk" FOREIGN KEY ("firm_id","user_id") REFERENCES "public"."users"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "digest_deliveries_user_day_key" ON "digest_deliveries" USING btree ("user_id","paris_day");--> statement-breakpoint
CREATE INDEX "digest_deliveries_work" ON "digest_deliveries" USING btree ("paris_day","state","batch_key");--> statement-breakpoint
CREATE UNIQUE INDEX "digest_items_slot_key" ON "digest_delivery_items" USING btree ("subscription_id","slot_at");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_user_client_key" ON "notification_subscriptions" USING btree ("user_id","client_id");--> statement-breakpoint
CREATE INDEX "subscriptions_due" ON "notification_subscriptions" USING btree ("frequency","first_slot_at") WHERE "notification_subscriptions"."enabled";--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_idempotency_key" ON "outbox_emails" USING btree ("idempotency_key","to_address");--> statement-breakpoint
CREATE INDEX "outbox_by_date" ON "outbox_emails" USING btree ("created_at");