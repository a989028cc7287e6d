CREATE TYPE "public"."access_request_state" AS ENUM('pending', 'granted', 'refused');--> statement-breakpoint
CREATE TABLE "access_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"firm_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"state" "access_request_state" DEFAULT 'pending' NOT NULL,
	"notified_at" timestamp with time zone,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"granted_until" timestamp with time zone,
	"refusal" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "firms" ADD COLUMN "access_requests" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_firm_id_client_id_clients_firm_id_id_fk" FOREIGN KEY ("firm_id","client_id") REFERENCES "public"."clients"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_requests" ADD CONSTRAINT "access_requests_firm_id_user_id_users_firm_id_id_fk" FOREIGN KEY ("firm_id","user_id") REFERENCES "public"."users"("firm_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "access_requests_pending_key" ON "access_requests" USING btree ("client_id","user_id") WHERE "access_requests"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "access_requests_by_firm" ON "access_requests" USING btree ("firm_id","state","created_at");--> statement-breakpoint
CREATE INDEX "access_requests_by_user" ON "access_requests" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "assignments_expiring" ON "assignments" USING btree ("expires_at") WHERE "assignments"."expires_at" IS NOT NULL;