-- A new amount from the platform resets the coding's state whether or not the expense is exported:
-- its export froze what it handed over, and an export cancelled later must bring the expense back
-- « à coder » (its split removed) or « codée » (to review again), never « revue » without lines —
-- 0023 left an exported expense « revue » with its lines removed, which a cancelled export then
-- made ready and exported without lines: an entry that does not balance.
CREATE OR REPLACE FUNCTION pp_expense_export_state() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  line_count integer;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.amount_cents IS DISTINCT FROM OLD.amount_cents THEN
    SELECT count(*) INTO line_count FROM expense_lines WHERE expense_id = NEW.id;
    IF line_count = 1 THEN
      UPDATE expense_lines SET gross_cents = NEW.amount_cents WHERE expense_id = NEW.id;
      IF NEW.coding_state = 'reviewed' THEN
        NEW.coding_state := 'coded';
      END IF;
    ELSIF line_count > 1 THEN
      DELETE FROM expense_lines WHERE expense_id = NEW.id;
      NEW.coding_state := 'to_code';
      NEW.coding_suggested := false;
    END IF;
  END IF;
  IF NEW.export_state = 'exported' THEN
    RETURN NEW;
  END IF;
  NEW.export_state := CASE
    WHEN NEW.platform_ready AND NEW.coding_state = 'reviewed' AND NEW.receipt_state <> 'missing'
      THEN 'ready'::export_state
    ELSE 'not_ready'::export_state END;
  RETURN NEW;
END $$;
