"""Reads for the desk: the queue, search, one record, suggestions, rights lists."""
