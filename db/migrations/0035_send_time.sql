ALTER TABLE "digest_deliveries" ADD COLUMN "due_until" timestamp with time zone;--> statement-breakpoint
UPDATE "digest_deliveries" SET "due_until" = ("paris_day" + 1)::timestamp AT TIME ZONE 'Europe/Paris';--> statement-breakpoint
ALTER TABLE "digest_deliveries" ALTER COLUMN "due_until" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "firms" ADD COLUMN "digest_hour" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "firms" ADD COLUMN "digest_zone" text DEFAULT 'Europe/Paris' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "digest_hour" integer;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "digest_zone" text;--> statement-breakpoint
ALTER TABLE "firms" ADD CONSTRAINT "firms_digest_hour" CHECK ("firms"."digest_hour" BETWEEN 8 AND 18);--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_digest_hour" CHECK ("users"."digest_hour" BETWEEN 8 AND 18);