-- Accent- and case-folding used by clients.search_name and by the search box. Written with
-- translate() rather than the unaccent extension or lower() on accented letters, so that PGlite
-- and PostgreSQL give the same answer whatever their locale.
CREATE FUNCTION pp_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT lower(replace(replace(replace(replace(translate(value,
    'àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ’',
    'aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuyy'''),
    'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'))
$$;--> statement-breakpoint
CREATE TYPE "public"."client_status" AS ENUM('invitation', 'onboarding', 'active', 'declined');--> statement-breakpoint
CREATE TYPE "public"."export_state" AS ENUM('not_ready', 'ready', 'exported');--> statement-breakpoint
CREATE TYPE "public"."receipt_state" AS ENUM('missing', 'attached', 'not_required');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('admin', 'accountant');--> statement-breakpoint
CREATE TYPE "public"."verification_state" AS ENUM('company_info', 'directors', 'in_review', 'verified');--> statement-breakpoint
CREATE TABLE "assignments" (
	"firm_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignments_client_id_user_id_pk" PRIMARY KEY("client_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"name" text NOT NULL,
	"search_name" text COLLATE "C" GENERATED ALWAYS AS (pp_fold(name)) STORED NOT NULL,
	"status" "client_status" NOT NULL,
	"verification_state" "verification_state",
	"contact_email" text,
	"contact_name" text,
	"siren" text,
	"balance_cents" bigint DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'EUR' NOT NULL,
	"missing_receipts" integer DEFAULT 0 NOT NULL,
	"ready_to_export" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clients_firm_id_id_key" UNIQUE("firm_id","id"),
	CONSTRAINT "clients_currency_check" CHECK ("clients"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "expenses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"amount_cents" bigint NOT NULL,
	"currency" text DEFAULT 'EUR' NOT NULL,
	"merchant" text NOT NULL,
	"category" text,
	"spent_on" date NOT NULL,
	"receipt_state" "receipt_state" NOT NULL,
	"export_state" "export_state" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "firms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"succeeded" boolean NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" "user_role" NOT NULL,
	"password_hash" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_firm_id_id_key" UNIQUE("firm_id","id")
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_firm_id_client_id_clients_firm_id_id_fk" FOREIGN KEY ("firm_id","client_id") REFERENCES "public"."clients"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_firm_id_user_id_users_firm_id_id_fk" FOREIGN KEY ("firm_id","user_id") REFERENCES "public"."users"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_firm_id_firms_id_fk" FOREIGN KEY ("firm_id") REFERENCES "public"."firms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_by_user" ON "assignments" USING btree ("user_id","client_id");--> statement-breakpoint
CREATE INDEX "clients_by_name" ON "clients" USING btree ("firm_id","status","search_name","id");--> statement-breakpoint
CREATE INDEX "clients_by_missing_asc" ON "clients" USING btree ("firm_id","status","missing_receipts","search_name","id");--> statement-breakpoint
CREATE INDEX "clients_by_missing_desc" ON "clients" USING btree ("firm_id","status","missing_receipts" DESC NULLS LAST,"search_name","id");--> statement-breakpoint
CREATE INDEX "clients_by_ready_asc" ON "clients" USING btree ("firm_id","status","ready_to_export","search_name","id");--> statement-breakpoint
CREATE INDEX "clients_by_ready_desc" ON "clients" USING btree ("firm_id","status","ready_to_export" DESC NULLS LAST,"search_name","id");--> statement-breakpoint
CREATE INDEX "clients_by_balance_asc" ON "clients" USING btree ("firm_id","status","balance_cents","search_name","id");--> statement-breakpoint
CREATE INDEX "clients_by_balance_desc" ON "clients" USING btree ("firm_id","status","balance_cents" DESC NULLS LAST,"search_name","id");--> statement-breakpoint
CREATE INDEX "expenses_by_client_export" ON "expenses" USING btree ("client_id","export_state","spent_on");--> statement-breakpoint
CREATE INDEX "expenses_by_client_receipt" ON "expenses" USING btree ("client_id","receipt_state","spent_on");--> statement-breakpoint
CREATE INDEX "login_attempts_by_email" ON "login_attempts" USING btree ("email","attempted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
-- Per-client counters of expenses, kept in the same transaction as the change. Statement-level
-- triggers with transition tables, so that a bulk insert or export updates each client once.
CREATE FUNCTION pp_expense_counters() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE clients c SET
      missing_receipts = c.missing_receipts + d.missing,
      ready_to_export = c.ready_to_export + d.ready
    FROM (
      SELECT client_id,
        count(*) FILTER (WHERE receipt_state = 'missing') AS missing,
        count(*) FILTER (WHERE export_state = 'ready') AS ready
      FROM new_rows GROUP BY client_id
    ) d
    WHERE c.id = d.client_id AND (d.missing <> 0 OR d.ready <> 0);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE clients c SET
      missing_receipts = c.missing_receipts - d.missing,
      ready_to_export = c.ready_to_export - d.ready
    FROM (
      SELECT client_id,
        count(*) FILTER (WHERE receipt_state = 'missing') AS missing,
        count(*) FILTER (WHERE export_state = 'ready') AS ready
      FROM old_rows GROUP BY client_id
    ) d
    WHERE c.id = d.client_id AND (d.missing <> 0 OR d.ready <> 0);
  ELSE
    UPDATE clients c SET
      missing_receipts = c.missing_receipts + d.missing,
      ready_to_export = c.ready_to_export + d.ready
    FROM (
      SELECT client_id, sum(missing) AS missing, sum(ready) AS ready FROM (
        SELECT client_id,
          CASE WHEN receipt_state = 'missing' THEN 1 ELSE 0 END AS missing,
          CASE WHEN export_state = 'ready' THEN 1 ELSE 0 END AS ready
        FROM new_rows
        UNION ALL
        SELECT client_id,
          CASE WHEN receipt_state = 'missing' THEN -1 ELSE 0 END,
          CASE WHEN export_state = 'ready' THEN -1 ELSE 0 END
        FROM old_rows
      ) changes GROUP BY client_id
    ) d
    WHERE c.id = d.client_id AND (d.missing <> 0 OR d.ready <> 0);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER expenses_counters_insert AFTER INSERT ON expenses
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pp_expense_counters();--> statement-breakpoint
CREATE TRIGGER expenses_counters_update AFTER UPDATE ON expenses
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pp_expense_counters();--> statement-breakpoint
CREATE TRIGGER expenses_counters_delete AFTER DELETE ON expenses
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pp_expense_counters();
