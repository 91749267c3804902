"""The outbox: everything the app sends, whatever kind of mail it is."""
