"""The three-year purge and its anonymous tallies."""
