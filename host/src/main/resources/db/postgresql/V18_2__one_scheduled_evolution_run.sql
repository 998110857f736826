-- Several hosts on one PostgreSQL: feedback arriving on two hosts at once must not start two scheduled
-- evolution runs of one personality. At most one scheduled run per personality is queued or running;
-- the second insert fails and that host leaves the run to the first (EvolutionService.scheduleIfDue).
-- H2 serves one host (and has no partial indexes): the in-process check suffices there.
CREATE UNIQUE INDEX evolution_runs_one_scheduled ON evolution_runs (personality_id)
    WHERE trigger_kind = 'schedule' AND state IN ('queued', 'running');
