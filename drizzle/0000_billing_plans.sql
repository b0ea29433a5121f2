CREATE TYPE "public"."connection_type" AS ENUM('hotspot', 'pppoe', 'static', 'dhcp');--> statement-breakpoint
CREATE TABLE "billing_plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" varchar(100) NOT NULL,
	"connection_type" "connection_type" NOT NULL,
	"price" numeric(12, 2) NOT NULL,
	"currency" char(3) NOT NULL,
	"duration_days" integer NOT NULL,
	"data_limit_mb" integer,
	"download_kbps" integer NOT NULL,
	"upload_kbps" integer NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "billing_plans_user_id_idx" ON "billing_plans" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "billing_plans_connection_type_idx" ON "billing_plans" USING btree ("connection_type");