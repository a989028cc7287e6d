-- « Échéance » sortable on the Clients page: each client's close date of the firm's month to close,
-- kept by lib/close/board.ts (followMonthToClose, openMonth, closeMonth, reopenMonth), with an index
-- per direction like the list's other sorts.
ALTER TABLE "clients" ADD COLUMN "close_on" date;--> statement-breakpoint
ALTER TABLE "firms" ADD COLUMN "close_month" date;--> statement-breakpoint
CREATE INDEX "clients_by_close_asc" ON "clients" USING btree ("firm_id","status","close_on","search_name","id");--> statement-breakpoint
CREATE INDEX "clients_by_close_desc" ON "clients" USING btree ("firm_id","status","close_on" DESC NULLS LAST,"search_name","id");
