-- « TVA à risque » on the Clients page: clients.vat_at_risk_cents, the deductible VAT of the client's
-- expenses whose receipt is missing (estimated at 20 % while an expense has no lines), kept by the
-- same statement-level trigger as the client's other counters, in the same transaction.
CREATE OR REPLACE FUNCTION pp_expense_counters() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE clients c SET
      missing_receipts = c.missing_receipts + d.missing,
      ready_to_export = c.ready_to_export + d.ready,
      vat_at_risk_cents = c.vat_at_risk_cents + d.vat
    FROM (
      SELECT n.client_id,
        count(*) FILTER (WHERE n.receipt_state = 'missing') AS missing,
        count(*) FILTER (WHERE n.export_state = 'ready') AS ready,
        sum(CASE WHEN n.receipt_state = 'missing' THEN coalesce(n.deductible_vat_cents, sign(n.amount_cents)::bigint * ((2 * abs(n.amount_cents) * 2000 + 12000) / 24000)) ELSE 0 END)::bigint AS vat
      FROM new_rows n GROUP BY n.client_id
    ) d
    WHERE c.id = d.client_id AND (d.missing <> 0 OR d.ready <> 0 OR d.vat <> 0);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE clients c SET
      missing_receipts = c.missing_receipts - d.missing,
      ready_to_export = c.ready_to_export - d.ready,
      vat_at_risk_cents = c.vat_at_risk_cents - d.vat
    FROM (
      SELECT o.client_id,
        count(*) FILTER (WHERE o.receipt_state = 'missing') AS missing,
        count(*) FILTER (WHERE o.export_state = 'ready') AS ready,
        sum(CASE WHEN o.receipt_state = 'missing' THEN coalesce(o.deductible_vat_cents, sign(o.amount_cents)::bigint * ((2 * abs(o.amount_cents) * 2000 + 12000) / 24000)) ELSE 0 END)::bigint AS vat
      FROM old_rows o GROUP BY o.client_id
    ) d
    WHERE c.id = d.client_id AND (d.missing <> 0 OR d.ready <> 0 OR d.vat <> 0);
  ELSE
    UPDATE clients c SET
      missing_receipts = c.missing_receipts + d.missing,
      ready_to_export = c.ready_to_export + d.ready,
      vat_at_risk_cents = c.vat_at_risk_cents + d.vat
    FROM (
      SELECT client_id, sum(missing) AS missing, sum(ready) AS ready, sum(vat)::bigint AS vat FROM (
        SELECT n.client_id,
          CASE WHEN n.receipt_state = 'missing' THEN 1 ELSE 0 END AS missing,
          CASE WHEN n.export_state = 'ready' THEN 1 ELSE 0 END AS ready,
          CASE WHEN n.receipt_state = 'missing' THEN coalesce(n.deductible_vat_cents, sign(n.amount_cents)::bigint * ((2 * abs(n.amount_cents) * 2000 + 12000) / 24000)) ELSE 0 END AS vat
        FROM new_rows n
        UNION ALL
        SELECT o.client_id,
          CASE WHEN o.receipt_state = 'missing' THEN -1 ELSE 0 END,
          CASE WHEN o.export_state = 'ready' THEN -1 ELSE 0 END,
          -(CASE WHEN o.receipt_state = 'missing' THEN coalesce(o.deductible_vat_cents, sign(o.amount_cents)::bigint * ((2 * abs(o.amount_cents) * 2000 + 12000) / 24000)) ELSE 0 END)
        FROM old_rows o
      ) changes GROUP BY client_id
    ) d
    WHERE c.id = d.client_id AND (d.missing <> 0 OR d.ready <> 0 OR d.vat <> 0);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
UPDATE clients c SET vat_at_risk_cents = coalesce((
  SELECT sum(CASE WHEN e.receipt_state = 'missing' THEN coalesce(e.deductible_vat_cents, sign(e.amount_cents)::bigint * ((2 * abs(e.amount_cents) * 2000 + 12000) / 24000)) ELSE 0 END)::bigint FROM expenses e WHERE e.client_id = c.id), 0);
