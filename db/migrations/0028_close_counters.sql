-- « La clôture du mois »: the checks of each client's month as counters (client_months), kept in the
-- same transaction as any change of expenses, so that the board sorts and filters a whole portfolio
-- by index (lib/close/board.ts) and never scans a month's expenses on a request.

-- The deductible VAT of an expense's lines (null without lines), in integers (sign() is cast: on a
-- bigint it answers a double, which would turn the divisions below into fractions), with the rounding of
-- lib/bookkeeping/vat.ts: VAT = gross × rate / (1 + rate), then × the deductible share, each to the
-- nearest cent, halves away from zero. Recomputed before each update of the expense: the coding
-- writes its lines first, then updates the expense (lib/bookkeeping/coding.ts, rules.ts), and a new
-- amount rewrites the lines in pp_expense_export_state, whose trigger's name sorts before this one's.
CREATE FUNCTION pp_expense_vat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.deductible_vat_cents := NULL;
  ELSE
    SELECT sum(sign(v.vat * l.deductible_pct)::bigint * ((2 * abs(v.vat * l.deductible_pct) + 100) / 200))::bigint
      INTO NEW.deductible_vat_cents
      FROM expense_lines l
      CROSS JOIN LATERAL (SELECT sign(l.gross_cents * l.vat_rate_bp)::bigint
        * ((2 * abs(l.gross_cents * l.vat_rate_bp) + (10000 + l.vat_rate_bp)) / (2 * (10000 + l.vat_rate_bp))) AS vat) v
      WHERE l.expense_id = NEW.id;
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER expenses_vat BEFORE INSERT OR UPDATE ON expenses
  FOR EACH ROW EXECUTE FUNCTION pp_expense_vat();--> statement-breakpoint

-- An expense that arrives in a closed month, or changes (amount, date, merchant, receipt, coding,
-- the platform's word) while its month — before or after the change — is closed, is marked
-- « Après clôture ». Closing the month again clears the marks (lib/close/board.ts).
CREATE FUNCTION pp_expense_after_close() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.after_close := EXISTS (SELECT 1 FROM client_months m
      WHERE m.client_id = NEW.client_id AND m.closed_at IS NOT NULL
        AND m.month = NEW.spent_on - (EXTRACT(DAY FROM NEW.spent_on)::integer - 1));
  ELSIF NOT OLD.after_close AND (NEW.amount_cents, NEW.spent_on, NEW.merchant, NEW.receipt_state, NEW.coding_state,
      NEW.platform_ready) IS DISTINCT FROM (OLD.amount_cents, OLD.spent_on, OLD.merchant, OLD.receipt_state,
      OLD.coding_state, OLD.platform_ready) THEN
    NEW.after_close := EXISTS (SELECT 1 FROM client_months m
      WHERE m.client_id = NEW.client_id AND m.closed_at IS NOT NULL
        AND m.month IN (NEW.spent_on - (EXTRACT(DAY FROM NEW.spent_on)::integer - 1),
                        OLD.spent_on - (EXTRACT(DAY FROM OLD.spent_on)::integer - 1)));
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER expenses_after_close BEFORE INSERT OR UPDATE ON expenses
  FOR EACH ROW EXECUTE FUNCTION pp_expense_after_close();--> statement-breakpoint

-- What one expense counts for in its month's row. Its coding counts while it is not exported (an
-- export from before the coding existed handed it over uncoded). « TVA à risque »: the deductible VAT of an
-- expense whose receipt is missing; before it is coded, estimated at 20 % of its amount.
CREATE FUNCTION pp_month_delta(
  receipt receipt_state, coding coding_state, exported export_state, amount bigint, vat bigint, late boolean,
  OUT expenses integer, OUT missing integer, OUT to_code integer, OUT to_review integer, OUT not_exported integer,
  OUT progressed integer, OUT vat_at_risk bigint, OUT after_close integer)
LANGUAGE sql IMMUTABLE AS $$
  SELECT 1,
    (receipt = 'missing')::integer,
    (coding = 'to_code' AND exported <> 'exported')::integer,
    (coding = 'coded' AND exported <> 'exported')::integer,
    (exported <> 'exported')::integer,
    (coding <> 'to_code' OR exported = 'exported')::integer,
    CASE WHEN receipt = 'missing'
      THEN coalesce(vat, sign(amount)::bigint * ((2 * abs(amount) * 2000 + 12000) / 24000)) ELSE 0 END,
    late::integer
$$;--> statement-breakpoint

-- Statement-level, with transition tables: a batch of 500 expenses updates each client-month once.
-- A row is created for a month that has none (an expense of an older month); its dates are
-- computed when the board opens the month. A delete only subtracts (the client may be going too).
CREATE FUNCTION pp_expense_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE client_months m SET expenses = m.expenses - d.expenses, missing = m.missing - d.missing,
        to_code = m.to_code - d.to_code, to_review = m.to_review - d.to_review,
        not_exported = m.not_exported - d.not_exported, progressed = m.progressed - d.progressed,
        vat_at_risk_cents = m.vat_at_risk_cents - d.vat_at_risk, after_close = m.after_close - d.after_close
      FROM (SELECT r.client_id, r.month, sum((r.x).expenses)::integer AS expenses, sum((r.x).missing)::integer AS missing,
              sum((r.x).to_code)::integer AS to_code, sum((r.x).to_review)::integer AS to_review,
              sum((r.x).not_exported)::integer AS not_exported, sum((r.x).progressed)::integer AS progressed,
              sum((r.x).vat_at_risk)::bigint AS vat_at_risk, sum((r.x).after_close)::integer AS after_close
            FROM (SELECT o.client_id, o.spent_on - (EXTRACT(DAY FROM o.spent_on)::integer - 1) AS month, 1 AS s,
                    pp_month_delta(o.receipt_state, o.coding_state, o.export_state, o.amount_cents,
                      o.deductible_vat_cents, o.after_close) AS x
                  FROM old_rows o) r
            GROUP BY r.client_id, r.month) d
      WHERE m.client_id = d.client_id AND m.month = d.month;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO client_months AS m (firm_id, client_id, month, sort_name, expenses, missing, to_code, to_review,
        not_exported, progressed, vat_at_risk_cents, after_close)
      SELECT c.firm_id, d.client_id, d.month, c.search_name, d.expenses, d.missing, d.to_code, d.to_review,
          d.not_exported, d.progressed, d.vat_at_risk, d.after_close
        FROM (SELECT r.client_id, r.month, sum(r.s * (r.x).expenses)::integer AS expenses,
                sum(r.s * (r.x).missing)::integer AS missing, sum(r.s * (r.x).to_code)::integer AS to_code,
                sum(r.s * (r.x).to_review)::integer AS to_review, sum(r.s * (r.x).not_exported)::integer AS not_exported,
                sum(r.s * (r.x).progressed)::integer AS progressed, sum(r.s * (r.x).vat_at_risk)::bigint AS vat_at_risk,
                sum(r.s * (r.x).after_close)::integer AS after_close
              FROM (SELECT n.client_id, n.spent_on - (EXTRACT(DAY FROM n.spent_on)::integer - 1) AS month, 1 AS s,
                    pp_month_delta(n.receipt_state, n.coding_state, n.export_state, n.amount_cents,
                      n.deductible_vat_cents, n.after_close) AS x
                  FROM new_rows n) r
              GROUP BY r.client_id, r.month) d
        JOIN clients c ON c.id = d.client_id
        WHERE d.expenses <> 0 OR d.missing <> 0 OR d.to_code <> 0 OR d.to_review <> 0 OR d.not_exported <> 0
          OR d.progressed <> 0 OR d.vat_at_risk <> 0 OR d.after_close <> 0
      ON CONFLICT (client_id, month) DO UPDATE SET expenses = m.expenses + EXCLUDED.expenses,
        missing = m.missing + EXCLUDED.missing, to_code = m.to_code + EXCLUDED.to_code,
        to_review = m.to_review + EXCLUDED.to_review, not_exported = m.not_exported + EXCLUDED.not_exported,
        progressed = m.progressed + EXCLUDED.progressed,
        vat_at_risk_cents = m.vat_at_risk_cents + EXCLUDED.vat_at_risk_cents,
        after_close = m.after_close + EXCLUDED.after_close;
  ELSE
    INSERT INTO client_months AS m (firm_id, client_id, month, sort_name, expenses, missing, to_code, to_review,
        not_exported, progressed, vat_at_risk_cents, after_close)
      SELECT c.firm_id, d.client_id, d.month, c.search_name, d.expenses, d.missing, d.to_code, d.to_review,
          d.not_exported, d.progressed, d.vat_at_risk, d.after_close
        FROM (SELECT r.client_id, r.month, sum(r.s * (r.x).expenses)::integer AS expenses,
                sum(r.s * (r.x).missing)::integer AS missing, sum(r.s * (r.x).to_code)::integer AS to_code,
                sum(r.s * (r.x).to_review)::integer AS to_review, sum(r.s * (r.x).not_exported)::integer AS not_exported,
                sum(r.s * (r.x).progressed)::integer AS progressed, sum(r.s * (r.x).vat_at_risk)::bigint AS vat_at_risk,
                sum(r.s * (r.x).after_close)::integer AS after_close
              FROM (SELECT n.client_id, n.spent_on - (EXTRACT(DAY FROM n.spent_on)::integer - 1) AS month, 1 AS s,
                    pp_month_delta(n.receipt_state, n.coding_state, n.export_state, n.amount_cents,
                      n.deductible_vat_cents, n.after_close) AS x
                  FROM new_rows n
                  UNION ALL
                  SELECT o.client_id, o.spent_on - (EXTRACT(DAY FROM o.spent_on)::integer - 1) AS month, -1 AS s,
                    pp_month_delta(o.receipt_state, o.coding_state, o.export_state, o.amount_cents,
                      o.deductible_vat_cents, o.after_close) AS x
                  FROM old_rows o) r
              GROUP BY r.client_id, r.month) d
        JOIN clients c ON c.id = d.client_id
        WHERE d.expenses <> 0 OR d.missing <> 0 OR d.to_code <> 0 OR d.to_review <> 0 OR d.not_exported <> 0
          OR d.progressed <> 0 OR d.vat_at_risk <> 0 OR d.after_close <> 0
      ON CONFLICT (client_id, month) DO UPDATE SET expenses = m.expenses + EXCLUDED.expenses,
        missing = m.missing + EXCLUDED.missing, to_code = m.to_code + EXCLUDED.to_code,
        to_review = m.to_review + EXCLUDED.to_review, not_exported = m.not_exported + EXCLUDED.not_exported,
        progressed = m.progressed + EXCLUDED.progressed,
        vat_at_risk_cents = m.vat_at_risk_cents + EXCLUDED.vat_at_risk_cents,
        after_close = m.after_close + EXCLUDED.after_close;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER expenses_months_insert AFTER INSERT ON expenses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pp_expense_months();--> statement-breakpoint
CREATE TRIGGER expenses_months_update AFTER UPDATE ON expenses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pp_expense_months();--> statement-breakpoint
CREATE TRIGGER expenses_months_delete AFTER DELETE ON expenses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pp_expense_months();--> statement-breakpoint

-- A client added to a firm gets a row in each month its board has opened; its name follows.
CREATE FUNCTION pp_client_months() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO client_months (firm_id, client_id, month, sort_name)
      SELECT NEW.firm_id, NEW.id, p.month, NEW.search_name FROM close_periods p WHERE p.firm_id = NEW.firm_id
      ON CONFLICT DO NOTHING;
  ELSIF NEW.search_name IS DISTINCT FROM OLD.search_name THEN
    UPDATE client_months SET sort_name = NEW.search_name WHERE client_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER clients_months AFTER INSERT OR UPDATE OF name ON clients
  FOR EACH ROW EXECUTE FUNCTION pp_client_months();--> statement-breakpoint

-- What was there before: the deductible VAT of coded expenses, then each client-month's counters.
UPDATE expenses e SET deductible_vat_cents = v.total
  FROM (SELECT l.expense_id,
          sum(sign(x.vat * l.deductible_pct)::bigint * ((2 * abs(x.vat * l.deductible_pct) + 100) / 200))::bigint AS total
        FROM expense_lines l
        CROSS JOIN LATERAL (SELECT sign(l.gross_cents * l.vat_rate_bp)::bigint
          * ((2 * abs(l.gross_cents * l.vat_rate_bp) + (10000 + l.vat_rate_bp)) / (2 * (10000 + l.vat_rate_bp))) AS vat) x
        GROUP BY l.expense_id) v
  WHERE e.id = v.expense_id;--> statement-breakpoint
DELETE FROM client_months;--> statement-breakpoint
INSERT INTO client_months (firm_id, client_id, month, sort_name, expenses, missing, to_code, to_review, not_exported,
    progressed, vat_at_risk_cents, after_close)
  SELECT c.firm_id, d.client_id, d.month, c.search_name, d.expenses, d.missing, d.to_code, d.to_review,
      d.not_exported, d.progressed, d.vat_at_risk, d.after_close
    FROM (SELECT r.client_id, r.month, sum((r.x).expenses)::integer AS expenses, sum((r.x).missing)::integer AS missing,
            sum((r.x).to_code)::integer AS to_code, sum((r.x).to_review)::integer AS to_review,
            sum((r.x).not_exported)::integer AS not_exported, sum((r.x).progressed)::integer AS progressed,
            sum((r.x).vat_at_risk)::bigint AS vat_at_risk, sum((r.x).after_close)::integer AS after_close
          FROM (SELECT e.client_id, e.spent_on - (EXTRACT(DAY FROM e.spent_on)::integer - 1) AS month, 1 AS s,
                    pp_month_delta(e.receipt_state, e.coding_state, e.export_state, e.amount_cents,
                      e.deductible_vat_cents, e.after_close) AS x
                  FROM expenses e) r
          GROUP BY r.client_id, r.month) d
    JOIN clients c ON c.id = d.client_id;
