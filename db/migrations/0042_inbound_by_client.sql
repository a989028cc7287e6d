-- The digest counts the documents that arrived for each client since the previous digest.
CREATE INDEX "inbound_documents_by_client" ON "inbound_documents" USING btree ("client_id","created_at");