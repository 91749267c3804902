"""Anonymous statistics for the press office's leadership: counts, answer times, FOI and
privacy figures over a period, true across the purge and erasure."""
