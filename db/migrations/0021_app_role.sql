-- The application runs as a role that may only read and append to the Journal; migrations run as
-- the role that owns the schema (README, « Déploiement »). Before, the application's own user
-- could SET LOCAL the purge cutoff and DELETE Journal rows.
--
-- `portail_app` is a group role (NOLOGIN): each deployment's login role for the running app is made
-- a member of it (CREATE ROLE portail_web LOGIN PASSWORD '…' IN ROLE portail_app). Where the
-- migrating role may not create roles (some managed services), an administrator creates
-- portail_app first and this migration only grants.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portail_app') THEN
    BEGIN
      CREATE ROLE portail_app NOLOGIN;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'portail_app could not be created (%): create it, then run the migrations again', SQLERRM;
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portail_app') THEN
    GRANT USAGE ON SCHEMA public TO portail_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO portail_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO portail_app;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO portail_app;
    -- The Journal: read and append, nothing else. Its purge goes through pp_purge_activity().
    REVOKE UPDATE, DELETE, TRUNCATE ON activity_log FROM portail_app;
    -- Tables and sequences of later migrations (created by this same migrating role).
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO portail_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO portail_app;
  END IF;
END
$$;--> statement-breakpoint
-- The retention purge runs with its owner's rights (the migrating role): the one way rows leave the
-- Journal, and only those older than the retention. Its search path is fixed, so that a caller
-- cannot make it resolve activity_log or now() to objects of their own.
ALTER FUNCTION pp_purge_activity(integer) SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp;--> statement-breakpoint
REVOKE ALL ON FUNCTION pp_purge_activity(integer) FROM PUBLIC;--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'portail_app') THEN
    GRANT EXECUTE ON FUNCTION pp_purge_activity(integer) TO portail_app;
  END IF;
END
$$;
