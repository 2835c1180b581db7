import type { LockMode } from "@soleflip/planner";

/**
 * Statements with behaviour PostgreSQL documents (the lock each takes on the table, whether it rewrites
 * it), to hold the observed rehearsal against: the lock seen must be the documented one, the rewrite
 * seen must be the documented one, and where the plan's prediction differs from it the rehearsal must
 * say so. `item` has BENCH_ROWS rows (id bigint primary key, n integer, label varchar(20), created_at).
 */
export interface ObservationCase {
  id: string;
  /** The migration, as a user would write it. */
  sql: string;
  /** From PostgreSQL's documentation. */
  documented: { lock: LockMode; rewrite: boolean };
}

const ACK = "-- migrator:allow-hazard REWRITES_TABLE: benchmark\n";

export const OBSERVATION_CASES: ObservationCase[] = [
  { id: "create-index-concurrently", sql: "CREATE INDEX CONCURRENTLY item_n_idx ON public.item (n);", documented: { lock: "SHARE UPDATE EXCLUSIVE", rewrite: false } },
  { id: "drop-index-concurrently", sql: "DROP INDEX CONCURRENTLY public.item_label_idx;", documented: { lock: "SHARE UPDATE EXCLUSIVE", rewrite: false } },
  { id: "int-to-bigint", sql: `${ACK}ALTER TABLE public.item ALTER COLUMN n TYPE bigint;`, documented: { lock: "ACCESS EXCLUSIVE", rewrite: true } },
  { id: "varchar-widened", sql: "ALTER TABLE public.item ALTER COLUMN label TYPE varchar(40);", documented: { lock: "ACCESS EXCLUSIVE", rewrite: false } },
  { id: "add-column-constant-default", sql: "ALTER TABLE public.item ADD COLUMN active boolean NOT NULL DEFAULT true;", documented: { lock: "ACCESS EXCLUSIVE", rewrite: false } },
  { id: "add-column-volatile-default", sql: `${ACK}ALTER TABLE public.item ADD COLUMN token double precision DEFAULT random();`, documented: { lock: "ACCESS EXCLUSIVE", rewrite: true } },
  { id: "add-foreign-key", sql: "ALTER TABLE public.item ADD CONSTRAINT item_parent_fkey FOREIGN KEY (parent_id) REFERENCES public.item (id);", documented: { lock: "SHARE ROW EXCLUSIVE", rewrite: false } },
  { id: "add-check", sql: "ALTER TABLE public.item ADD CONSTRAINT item_n_check CHECK (n >= 0);", documented: { lock: "ACCESS EXCLUSIVE", rewrite: false } },
  { id: "set-not-null", sql: "ALTER TABLE public.item ALTER COLUMN created_at SET NOT NULL;", documented: { lock: "ACCESS EXCLUSIVE", rewrite: false } },
  { id: "create-trigger", sql: "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER item_touch BEFORE UPDATE ON public.item FOR EACH ROW EXECUTE FUNCTION public.touch();", documented: { lock: "SHARE ROW EXCLUSIVE", rewrite: false } },
  { id: "reindex-table", sql: "REINDEX TABLE public.item;", documented: { lock: "SHARE", rewrite: false } },
  // The planner does not model LOCK TABLE: it predicts nothing, and the rehearsal must say so.
  { id: "lock-table", sql: "LOCK TABLE public.item IN EXCLUSIVE MODE;", documented: { lock: "EXCLUSIVE", rewrite: false } },
  { id: "cluster", sql: `${ACK}CLUSTER public.item USING item_pkey;`, documented: { lock: "ACCESS EXCLUSIVE", rewrite: true } },
];

export const BENCH_SETUP = (rows: number) => `
CREATE TABLE public.item (id bigint PRIMARY KEY, parent_id bigint, n integer NOT NULL, label varchar(20) NOT NULL, created_at timestamptz);
INSERT INTO public.item SELECT g, CASE WHEN g > 1 THEN g - 1 END, g % 1000, 'item ' || (g % 100000), now() FROM generate_series(1, ${rows}) AS g;
CREATE INDEX item_label_idx ON public.item (label);
`;
