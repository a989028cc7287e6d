-- Each assignment carries its client's status and whether the client has a missing receipt, kept
-- by triggers in the same transaction as the change, so that an accountant's tabs (« Mes clients »,
-- « Intégration ») and « Reçus manquants » are counted from the assignments index alone, instead
-- of looking every assigned client up by key: at 10,000 clients an accountant's 500 assignments
-- cost 500 primary-key lookups per count (BENCHMARKS.md, 2026-11-29).
ALTER TABLE "assignments"
  ADD COLUMN "client_status" "client_status" DEFAULT 'invitation' NOT NULL,
  ADD COLUMN "client_missing" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "assignments" a SET "client_status" = c."status", "client_missing" = c."missing_receipts" > 0
  FROM "clients" c WHERE c."id" = a."client_id";--> statement-breakpoint
CREATE INDEX "assignments_by_user_state" ON "assignments" USING btree ("user_id", "firm_id", "client_status", "client_missing");--> statement-breakpoint
-- A new assignment takes its client's state. FOR SHARE waits for a transaction changing the client
-- (its status, or its counters through pp_expense_counters) and reads what it committed; a change
-- that comes after waits for this one, then its own trigger below sees the new assignment. Without
-- the client, the values are left alone and the foreign key says so.
CREATE FUNCTION pp_assignment_client_state() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  found_status client_status;
  found_missing boolean;
BEGIN
  SELECT c.status, c.missing_receipts > 0 INTO found_status, found_missing
    FROM clients c WHERE c.id = NEW.client_id FOR SHARE;
  IF FOUND THEN
    NEW.client_status := found_status;
    NEW.client_missing := found_missing;
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER assignments_client_state BEFORE INSERT OR UPDATE OF client_id ON assignments
  FOR EACH ROW EXECUTE FUNCTION pp_assignment_client_state();--> statement-breakpoint
-- A client whose status changes, or whose missing receipts go from none to some or back, passes it
-- on to its assignments.
CREATE FUNCTION pp_client_state_to_assignments() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE assignments SET client_status = NEW.status, client_missing = NEW.missing_receipts > 0
    WHERE client_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER clients_state_to_assignments AFTER UPDATE OF status, missing_receipts ON clients
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR (OLD.missing_receipts > 0) IS DISTINCT FROM (NEW.missing_receipts > 0))
  EXECUTE FUNCTION pp_client_state_to_assignments();
