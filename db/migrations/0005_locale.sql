CREATE TYPE "public"."user_locale" AS ENUM('fr', 'en');--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" "user_locale" DEFAULT 'fr' NOT NULL;