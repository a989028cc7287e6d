CREATE TYPE "public"."vat_regime" AS ENUM('mensuel', 'trimestriel', 'simplifie', 'franchise');--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "vat_regime" "vat_regime" DEFAULT 'mensuel' NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "vat_due_day" integer DEFAULT 19 NOT NULL;--> statement-breakpoint
ALTER TABLE "firms" ADD COLUMN "close_working_days" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "firms" ADD COLUMN "franchise_close_day" integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_vat_due_day" CHECK ("clients"."vat_due_day" BETWEEN 15 AND 24);