-- « La clôture du mois » at any size (issue 27, `npm run bench:close`): the board filtered by a
-- preparer or a reviewer, and an accountant's board, read as index scans that stop after their page.
-- client_months gets copies of the client's preparer and reviewer, and whether it is connected,
-- with an index per sort (of the connected clients' rows only: the board shows no other); an
-- accountant's board reads assigned_months, a copy of what the board sorts and filters by for each
-- month of each client assigned to them. Both are kept by the triggers below, in the same
-- transaction as any change, in the house's lock order: a client's row, then its months, then the
-- copies (db/README.md).
CREATE TABLE "assigned_months" (
	"user_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"month" date NOT NULL,
	"sort_name" text COLLATE "C" NOT NULL,
	"status" text NOT NULL,
	"close_on" date,
	"missing" integer NOT NULL,
	"to_code" integer NOT NULL,
	"vat_at_risk_cents" bigint NOT NULL,
	"preparer_id" uuid,
	"reviewer_id" uuid,
	"client_active" boolean NOT NULL,
	CONSTRAINT "assigned_months_client_id_month_user_id_pk" PRIMARY KEY("client_id","month","user_id")
);
--> statement-breakpoint
DROP INDEX "client_months_by_close";--> statement-breakpoint
DROP INDEX "client_months_by_vat";--> statement-breakpoint
DROP INDEX "client_months_by_missing";--> statement-breakpoint
DROP INDEX "client_months_by_to_code";--> statement-breakpoint
DROP INDEX "client_months_status_by_close";--> statement-breakpoint
DROP INDEX "client_months_status_by_vat";--> statement-breakpoint
DROP INDEX "client_months_status_by_missing";--> statement-breakpoint
DROP INDEX "client_months_status_by_to_code";--> statement-breakpoint
ALTER TABLE "client_months" ADD COLUMN "preparer_id" uuid;--> statement-breakpoint
ALTER TABLE "client_months" ADD COLUMN "reviewer_id" uuid;--> statement-breakpoint
ALTER TABLE "client_months" ADD COLUMN "client_active" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "assigned_months" ADD CONSTRAINT "assigned_months_client_id_user_id_assignments_client_id_user_id_fk" FOREIGN KEY ("client_id","user_id") REFERENCES "public"."assignments"("client_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assigned_months_by_close" ON "assigned_months" USING btree ("user_id","month","status","close_on","sort_name","client_id") WHERE "assigned_months"."client_active";--> statement-breakpoint
CREATE INDEX "assigned_months_by_vat" ON "assigned_months" USING btree ("user_id","month","status","vat_at_risk_cents" DESC NULLS LAST,"sort_name","client_id") WHERE "assigned_months"."client_active";--> statement-breakpoint
CREATE INDEX "assigned_months_by_missing" ON "assigned_months" USING btree ("user_id","month","status","missing" DESC NULLS LAST,"sort_name","client_id") WHERE "assigned_months"."client_active";--> statement-breakpoint
CREATE INDEX "assigned_months_by_to_code" ON "assigned_months" USING btree ("user_id","month","status","to_code" DESC NULLS LAST,"sort_name","client_id") WHERE "assigned_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_preparer_by_close" ON "client_months" USING btree ("firm_id","month","preparer_id","status","close_on","sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_preparer_by_vat" ON "client_months" USING btree ("firm_id","month","preparer_id","status","vat_at_risk_cents" DESC NULLS LAST,"sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_preparer_by_missing" ON "client_months" USING btree ("firm_id","month","preparer_id","status","missing" DESC NULLS LAST,"sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_preparer_by_to_code" ON "client_months" USING btree ("firm_id","month","preparer_id","status","to_code" DESC NULLS LAST,"sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_reviewer_by_close" ON "client_months" USING btree ("firm_id","month","reviewer_id","status","close_on","sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_reviewer_by_vat" ON "client_months" USING btree ("firm_id","month","reviewer_id","status","vat_at_risk_cents" DESC NULLS LAST,"sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_reviewer_by_missing" ON "client_months" USING btree ("firm_id","month","reviewer_id","status","missing" DESC NULLS LAST,"sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_reviewer_by_to_code" ON "client_months" USING btree ("firm_id","month","reviewer_id","status","to_code" DESC NULLS LAST,"sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_status_by_close" ON "client_months" USING btree ("firm_id","month","status","close_on","sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_status_by_vat" ON "client_months" USING btree ("firm_id","month","status","vat_at_risk_cents" DESC NULLS LAST,"sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_status_by_missing" ON "client_months" USING btree ("firm_id","month","status","missing" DESC NULLS LAST,"sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
CREATE INDEX "client_months_status_by_to_code" ON "client_months" USING btree ("firm_id","month","status","to_code" DESC NULLS LAST,"sort_name","client_id") WHERE "client_months"."client_active";--> statement-breakpoint
-- A new month row takes its client's preparer, reviewer and whether it is connected, whatever the
-- insert says. Its inserter holds the client's row (openMonth, the expenses' trigger below, a new
-- client), so that a change of the client waits for it, or it for the change.
CREATE FUNCTION pp_client_month_from_client() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT c.close_preparer_id, c.close_reviewer_id, c.status = 'active'
    INTO NEW.preparer_id, NEW.reviewer_id, NEW.client_active
    FROM clients c WHERE c.id = NEW.client_id;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER client_months_from_client BEFORE INSERT ON client_months
  FOR EACH ROW EXECUTE FUNCTION pp_client_month_from_client();--> statement-breakpoint

-- A client whose preparer or reviewer changes (« Attribuer à… », a member deleted), or who gets
-- connected or leaves, passes it on to its months. Statement-level: 10,000 clients set at once are one UPDATE of their months; the
-- platform's batches, which change other columns, join their old and new rows and stop there.
CREATE FUNCTION pp_client_to_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE client_months m SET preparer_id = n.close_preparer_id, reviewer_id = n.close_reviewer_id,
      client_active = n.status = 'active'
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.close_preparer_id, n.close_reviewer_id, n.status) IS DISTINCT FROM
        (o.close_preparer_id, o.close_reviewer_id, o.status)
      AND m.client_id = n.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER clients_to_months AFTER UPDATE ON clients
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION pp_client_to_months();--> statement-breakpoint

-- An expense of a month its client has no row for yet (the month's row is inserted by
-- pp_expense_months, whose trigger's name sorts after this one's): its client's row is locked
-- first, in id order, so that a new assignment of that client (which holds the client's row, by
-- pp_assignment_client_state) and the new month never miss each other's copies.
-- An update only looks at the expenses it moved to another client or month (a coding, a receipt,
-- a new amount move none): the month's row is probed for those alone.
CREATE FUNCTION pp_expense_new_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM 1 FROM clients c
      WHERE c.id IN (SELECT n.client_id FROM new_rows n
                     WHERE NOT EXISTS (SELECT 1 FROM client_months m WHERE m.client_id = n.client_id
                       AND m.month = n.spent_on - (EXTRACT(DAY FROM n.spent_on)::integer - 1)))
      ORDER BY c.id FOR NO KEY UPDATE;
  ELSE
    PERFORM 1 FROM clients c
      WHERE c.id IN (SELECT n.client_id FROM new_rows n JOIN old_rows o ON o.id = n.id
                     WHERE (o.client_id <> n.client_id OR date_trunc('month', o.spent_on) <> date_trunc('month', n.spent_on))
                       AND NOT EXISTS (SELECT 1 FROM client_months m WHERE m.client_id = n.client_id
                         AND m.month = n.spent_on - (EXTRACT(DAY FROM n.spent_on)::integer - 1)))
      ORDER BY c.id FOR NO KEY UPDATE;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER expenses_new_months_insert AFTER INSERT ON expenses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pp_expense_new_months();--> statement-breakpoint
CREATE TRIGGER expenses_new_months_update AFTER UPDATE ON expenses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION pp_expense_new_months();--> statement-breakpoint

-- A month's row, new or changed, passes what the board sorts and filters by on to the copies of the
-- accountants its client is assigned to. An update only writes the copies that differ.
CREATE FUNCTION pp_months_to_assigned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO assigned_months (user_id, client_id, month, sort_name, status, close_on, missing, to_code,
        vat_at_risk_cents, preparer_id, reviewer_id, client_active)
      SELECT a.user_id, n.client_id, n.month, n.sort_name, n.status, n.close_on, n.missing, n.to_code,
          n.vat_at_risk_cents, n.preparer_id, n.reviewer_id, n.client_active
        FROM new_rows n JOIN assignments a ON a.client_id = n.client_id
      ON CONFLICT DO NOTHING;
  ELSE
    UPDATE assigned_months s SET sort_name = n.sort_name, status = n.status, close_on = n.close_on,
        missing = n.missing, to_code = n.to_code, vat_at_risk_cents = n.vat_at_risk_cents,
        preparer_id = n.preparer_id, reviewer_id = n.reviewer_id, client_active = n.client_active
      FROM new_rows n
      WHERE s.client_id = n.client_id AND s.month = n.month
        AND (s.sort_name, s.status, s.close_on, s.missing, s.to_code, s.vat_at_risk_cents, s.preparer_id, s.reviewer_id,
            s.client_active)
          IS DISTINCT FROM
            (n.sort_name, n.status, n.close_on, n.missing, n.to_code, n.vat_at_risk_cents, n.preparer_id, n.reviewer_id,
            n.client_active);
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER client_months_to_assigned_insert AFTER INSERT ON client_months
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pp_months_to_assigned();--> statement-breakpoint
CREATE TRIGGER client_months_to_assigned_update AFTER UPDATE ON client_months
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pp_months_to_assigned();--> statement-breakpoint

-- A new assignment copies its client's months. It holds the client's row already
-- (pp_assignment_client_state), so a month being inserted waits for it or it for the month; the
-- months themselves are locked (in key order, after the client's row: the house's order) so that a
-- change of their counters in progress commits before they are copied. A deleted assignment's copies
-- go with it (the foreign key cascades), as do a deleted client's.
CREATE FUNCTION pp_assignments_to_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM client_months m WHERE m.client_id IN (SELECT n.client_id FROM new_rows n)
    ORDER BY m.client_id, m.month FOR SHARE;
  INSERT INTO assigned_months (user_id, client_id, month, sort_name, status, close_on, missing, to_code,
      vat_at_risk_cents, preparer_id, reviewer_id, client_active)
    SELECT n.user_id, m.client_id, m.month, m.sort_name, m.status, m.close_on, m.missing, m.to_code,
        m.vat_at_risk_cents, m.preparer_id, m.reviewer_id, m.client_active
      FROM new_rows n JOIN client_months m ON m.client_id = n.client_id
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER assignments_to_months AFTER INSERT ON assignments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pp_assignments_to_months();--> statement-breakpoint

-- What is there already.
UPDATE client_months m SET preparer_id = c.close_preparer_id, reviewer_id = c.close_reviewer_id,
    client_active = c.status = 'active'
  FROM clients c
  WHERE c.id = m.client_id
    AND (c.close_preparer_id IS NOT NULL OR c.close_reviewer_id IS NOT NULL OR c.status = 'active');--> statement-breakpoint
INSERT INTO assigned_months (user_id, client_id, month, sort_name, status, close_on, missing, to_code,
    vat_at_risk_cents, preparer_id, reviewer_id, client_active)
  SELECT a.user_id, m.client_id, m.month, m.sort_name, m.status, m.close_on, m.missing, m.to_code,
      m.vat_at_risk_cents, m.preparer_id, m.reviewer_id, m.client_active
    FROM client_months m JOIN assignments a ON a.client_id = m.client_id
  ON CONFLICT DO NOTHING;
