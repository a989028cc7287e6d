-- « Demander les reçus » from the Clients page: one form asks one person for several clients' receipts,
-- one request per client: a form's request is unique per recipient and client.
DROP INDEX "receipt_requests_form_key";--> statement-breakpoint
CREATE UNIQUE INDEX "receipt_requests_form_key" ON "receipt_requests" USING btree ("form_token","recipient_email","client_id");