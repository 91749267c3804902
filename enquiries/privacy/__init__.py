"""Opt-out, erasure, access and export, rights requests, self-service links."""
