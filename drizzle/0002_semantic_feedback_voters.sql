ALTER TABLE "semantic_observations" ADD COLUMN "voter" varchar(64);--> statement-breakpoint
ALTER TABLE "semantic_observations" ADD COLUMN "goal_hash" varchar(64);--> statement-breakpoint
CREATE UNIQUE INDEX "semantic_observations_vote_idx" ON "semantic_observations" USING btree ("entry_key","voter","goal_hash");