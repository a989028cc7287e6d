-- Each membership of a client group carries its client's status and whether the client has a
-- missing receipt, kept by triggers in the same transaction as the change (as assignments since
-- migration 0019), so that a group's tab and « Reçus manquants » are counted from this index alone:
-- checking each missing client of a 10,000-client firm against the group cost 926 probes per count
-- (BENCHMARKS.md, 2026-12-03).
ALTER TABLE "client_group_members" ADD COLUMN "client_status" "client_status" DEFAULT 'invitation' NOT NULL;--> statement-breakpoint
ALTER TABLE "client_group_members" ADD COLUMN "client_missing" boolean DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE "client_group_members" m SET "client_status" = c."status", "client_missing" = c."missing_receipts" > 0
  FROM "clients" c WHERE c."id" = m."client_id";--> statement-breakpoint
-- An accountant's count with a group reads her assignments' client ids from the index alone.
DROP INDEX "assignments_by_user_state";--> statement-breakpoint
CREATE INDEX "assignments_by_user_state" ON "assignments" USING btree ("user_id","firm_id","client_status","client_missing","client_id");--> statement-breakpoint
CREATE INDEX "client_group_members_by_state" ON "client_group_members" USING btree ("group_id","firm_id","client_status","client_missing");--> statement-breakpoint
-- A new membership takes its client's state. FOR SHARE waits for a transaction changing the client
-- and reads what it committed; a change that comes after waits for this one, then its own trigger
-- below sees the new membership. addToGroup share-locks its clients first, in id order, as
-- « Attribuer à… » does, so that this lock never closes a cycle with the platform's batches.
CREATE FUNCTION pp_group_member_client_state() RETURNS trigger
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
CREATE TRIGGER client_group_members_client_state BEFORE INSERT OR UPDATE OF client_id ON client_group_members
  FOR EACH ROW EXECUTE FUNCTION pp_group_member_client_state();--> statement-breakpoint
-- A client whose status changes, or whose missing receipts go from none to some or back, passes it
-- on to its memberships.
CREATE FUNCTION pp_client_state_to_group_members() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  UPDATE client_group_members SET client_status = NEW.status, client_missing = NEW.missing_receipts > 0
    WHERE client_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER clients_state_to_group_members AFTER UPDATE OF status, missing_receipts ON clients
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR (OLD.missing_receipts > 0) IS DISTINCT FROM (NEW.missing_receipts > 0))
  EXECUTE FUNCTION pp_client_state_to_group_members();
