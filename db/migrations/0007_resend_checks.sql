ALTER TABLE "digest_deliveries" ADD COLUMN "client_ids" uuid[];--> statement-breakpoint
ALTER TABLE "outbox_emails" ADD COLUMN "firm_id" uuid;--> statement-breakpoint
CREATE INDEX "outbox_by_firm" ON "outbox_emails" USING btree ("firm_id","created_at");