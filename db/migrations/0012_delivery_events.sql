CREATE TABLE "email_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_suppressions" (
	"address" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cleared_at" timestamp with time zone,
	"cleared_by" uuid
);
--> statement-breakpoint
ALTER TABLE "digest_deliveries" ADD COLUMN "delivery_status" text;--> statement-breakpoint
ALTER TABLE "digest_deliveries" ADD COLUMN "delivery_status_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reminder_recipients" ADD COLUMN "delivery_status" text;--> statement-breakpoint
ALTER TABLE "reminder_recipients" ADD COLUMN "delivery_status_at" timestamp with time zone;