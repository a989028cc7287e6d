ALTER TABLE "clients" ADD COLUMN "vat_at_risk_cents" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "clients_by_vat_asc" ON "clients" USING btree ("firm_id","status","vat_at_risk_cents","search_name","id");--> statement-breakpoint
CREATE INDEX "clients_by_vat_desc" ON "clients" USING btree ("firm_id","status","vat_at_risk_cents" DESC NULLS LAST,"search_name","id");