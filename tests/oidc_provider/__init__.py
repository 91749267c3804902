"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit in a
Django project of its own, served on loopback in a subprocess (serve.py)."""
