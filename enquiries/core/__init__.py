"""Pieces every domain uses: errors, normalisation, audit events, task dispatch,
the desk settings row and the search index.
"""
