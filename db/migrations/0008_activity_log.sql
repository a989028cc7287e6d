CREATE TYPE "public"."activity_actor" AS ENUM('user', 'platform', 'system');--> statement-breakpoint
CREATE TABLE "activity_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"firm_id" uuid,
	"actor_kind" "activity_actor" NOT NULL,
	"actor_id" uuid,
	"actor_name" text DEFAULT '' NOT NULL,
	"action" text NOT NULL,
	"client_id" uuid,
	"client_name" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "activity_by_firm" ON "activity_log" USING btree ("firm_id","at","id");--> statement-breakpoint
CREATE INDEX "activity_by_client" ON "activity_log" USING btree ("firm_id","client_id","at","id");--> statement-breakpoint
CREATE INDEX "activity_by_actor" ON "activity_log" USING btree ("firm_id","actor_id","at","id");--> statement-breakpoint
CREATE INDEX "activity_by_action" ON "activity_log" USING btree ("firm_id","action","at","id");--> statement-breakpoint
CREATE INDEX "activity_by_time" ON "activity_log" USING btree ("at");--> statement-breakpoint
-- The log is append-only: no UPDATE ever, and DELETE only of rows older than the cutoff that
-- pp_purge_activity() sets for its own statement (the retention purge run by the cron).
CREATE FUNCTION pp_activity_append_only() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  cutoff text := current_setting('portail.activity_purge_before', true);
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(cutoff, '') <> '' THEN
    IF OLD.at < cutoff::timestamptz THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'activity_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER activity_log_append_only BEFORE UPDATE OR DELETE ON activity_log
FOR EACH ROW EXECUTE FUNCTION pp_activity_append_only();--> statement-breakpoint
CREATE TRIGGER activity_log_no_truncate BEFORE TRUNCATE ON activity_log
FOR EACH STATEMENT EXECUTE FUNCTION pp_activity_append_only();--> statement-breakpoint
CREATE FUNCTION pp_purge_activity(retention_days integer) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  removed integer;
BEGIN
  IF retention_days < 1 THEN
    RAISE EXCEPTION 'retention must be at least one day';
  END IF;
  PERFORM set_config('portail.activity_purge_before', (now() - make_interval(days => retention_days))::text, true);
  DELETE FROM activity_log WHERE at < now() - make_interval(days => retention_days);
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('portail.activity_purge_before', '', true);
  RETURN removed;
END;
$$;
