"""Requests for access to documents: detection and forwarding to the post registry."""
