-- Issue 19: the kept unit counts get a version of their own. A household, citizen or clan
-- written changes `unit_counts` and no title tally; with one version for both, every such write
-- made each process read the year's tallies of the whole city again (three years for a
-- dashboard's trend). Now the tallies are read again only when they change.
INSERT INTO meta (key, value) VALUES ('counts_version', 0);
