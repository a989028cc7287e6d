-- « Prête à être exportée » is computed, no longer written: an expense is ready when the platform
-- says its part is done (platform_ready, its readyToExport), it is coded and reviewed, and its
-- receipt is attached or marked not required. An exported expense stays exported until its export
-- is cancelled (the writer sets export_state back to 'not_ready' and the rule applies again).
--
-- When the platform changes an expense's amount, its coding follows: a single line takes the new
-- amount (and a reviewed expense is to be reviewed again), several lines are removed (the split no
-- longer adds up: the expense is to be coded again). The lines' gross always adds up to the amount.
CREATE OR REPLACE FUNCTION pp_expense_export_state() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  line_count integer;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.amount_cents IS DISTINCT FROM OLD.amount_cents THEN
    SELECT count(*) INTO line_count FROM expense_lines WHERE expense_id = NEW.id;
    IF line_count = 1 THEN
      UPDATE expense_lines SET gross_cents = NEW.amount_cents WHERE expense_id = NEW.id;
      IF NEW.coding_state = 'reviewed' AND NEW.export_state <> 'exported' THEN
        NEW.coding_state := 'coded';
      END IF;
    ELSIF line_count > 1 THEN
      DELETE FROM expense_lines WHERE expense_id = NEW.id;
      IF NEW.export_state <> 'exported' THEN
        NEW.coding_state := 'to_code';
        NEW.coding_suggested := false;
      END IF;
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
--> statement-breakpoint
CREATE TRIGGER expenses_export_state_insert BEFORE INSERT ON expenses
  FOR EACH ROW EXECUTE FUNCTION pp_expense_export_state();
--> statement-breakpoint
CREATE TRIGGER expenses_export_state_update BEFORE UPDATE OF platform_ready, coding_state, receipt_state, export_state, amount_cents
  ON expenses FOR EACH ROW EXECUTE FUNCTION pp_expense_export_state();
--> statement-breakpoint
-- What the platform said so far becomes its input; the expenses it called ready wait for their
-- coding (the counters follow, through pp_expense_counters).
UPDATE expenses SET platform_ready = true WHERE export_state IN ('ready', 'exported');
--> statement-breakpoint
UPDATE expenses SET export_state = 'not_ready' WHERE export_state = 'ready';
--> statement-breakpoint
-- The exports made before entries were frozen: their expenses as they are now, so that their CSV
-- reads like every other export's (no coding: only the CSV can be downloaded for them).
INSERT INTO export_entries (export_id, position, reversal, expense_id, entry_date, spent_on, merchant, amount_cents,
  currency, category, receipt_state, receipt_file_id, piece_ref)
SELECT e.export_id, row_number() OVER (PARTITION BY e.export_id ORDER BY e.spent_on, e.id), false, e.id, e.spent_on,
  e.spent_on, e.merchant, e.amount_cents, e.currency, e.category, e.receipt_state, e.receipt_file_id,
  upper(substr(replace(e.id::text, '-', ''), 1, 10))
FROM expenses e JOIN expense_exports x ON x.id = e.export_id;
