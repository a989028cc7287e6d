-- Wrong second-factor codes are counted: a login challenge dies after 5, and an account accepts at
-- most 10 an hour across challenges, « Régénérer les codes » and « Désactiver » (lib/two-factor/limits.ts).
ALTER TABLE "login_challenges" ADD COLUMN "failed_codes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE TABLE "second_factor_failures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"context" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
ALTER TABLE "second_factor_failures" ADD CONSTRAINT "second_factor_failures_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "second_factor_failures_by_user" ON "second_factor_failures" USING btree ("user_id","failed_at");
