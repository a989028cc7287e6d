-- The search returns the matching clients' rows, not their ids: the page and its count read them
-- from the trigram index's bitmap scan once, instead of looking each match up again by primary key
-- (at 10,000 clients, « bou » matches 1,000: page 2.2 → 0.9 ms, count 1.9 → 0.6 ms). `SELECT *`
-- follows the table's columns as they change. pp_matching_clients() has no caller left.
CREATE OR REPLACE FUNCTION pp_matching_client_rows(firm uuid, pattern text) RETURNS SETOF clients
LANGUAGE plpgsql STABLE ROWS 20
AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'SELECT * FROM clients WHERE firm_id = $1 AND search_name LIKE %L ESCAPE %L', pattern, '\'
  ) USING firm;
END
$$;--> statement-breakpoint
DROP FUNCTION IF EXISTS pp_matching_clients(uuid, text);
