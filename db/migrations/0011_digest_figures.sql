ALTER TABLE "digest_delivery_items" ADD COLUMN "missing_receipts" integer;--> statement-breakpoint
ALTER TABLE "digest_delivery_items" ADD COLUMN "ready_to_export" integer;--> statement-breakpoint
ALTER TABLE "digest_delivery_items" ADD COLUMN "balance_cents" bigint;