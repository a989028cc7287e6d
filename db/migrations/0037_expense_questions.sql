-- Questions about an expense, asked with its receipt or alone (« De quoi s'agit-il ? »…), answered
-- through the request's link; the Journal credits the person who answered it ('recipient').
CREATE TYPE "public"."expense_question" AS ENUM('purpose', 'attendees', 'personal', 'other');--> statement-breakpoint
ALTER TYPE "public"."activity_actor" ADD VALUE 'recipient';--> statement-breakpoint
ALTER TABLE "receipt_request_items" ADD COLUMN "wants_receipt" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "receipt_request_items" ADD COLUMN "question" "expense_question";--> statement-breakpoint
ALTER TABLE "receipt_request_items" ADD COLUMN "question_text" text;--> statement-breakpoint
ALTER TABLE "receipt_request_items" ADD COLUMN "answer" text;--> statement-breakpoint
ALTER TABLE "receipt_request_items" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "receipt_request_items" ADD CONSTRAINT "receipt_request_items_asks_something" CHECK ("receipt_request_items"."wants_receipt" OR "receipt_request_items"."question" IS NOT NULL);