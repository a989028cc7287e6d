-- « Rechercher des clients » finds the typed text anywhere in the folded name (LIKE '%…%'). Read
-- row by row, that grows with the firm; a trigram index finds the matches directly. Two parts:
-- 1. the index, where pg_trgm is available (a trusted extension: a database owner may create it;
--    the embedded PGlite has none, and serves one small firm);
-- 2. pp_matching_clients(): the match planned with the pattern itself (EXECUTE), because the
--    app's prepared statements get a generic plan, which never chooses the trigram index.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX IF NOT EXISTS clients_search_trgm ON clients USING gin (search_name gin_trgm_ops);
  END IF;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pp_matching_clients(firm uuid, pattern text) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'SELECT id FROM clients WHERE firm_id = $1 AND search_name LIKE %L ESCAPE %L', pattern, '\'
  ) USING firm;
END
$$;
