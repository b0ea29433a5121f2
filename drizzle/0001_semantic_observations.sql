CREATE TABLE "semantic_observations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"entry_key" varchar(64) NOT NULL,
	"similarity" double precision NOT NULL,
	"wrong" boolean NOT NULL,
	"origin" varchar(16) NOT NULL,
	"observed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "semantic_observations_entry_key_idx" ON "semantic_observations" USING btree ("entry_key");