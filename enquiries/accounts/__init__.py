"""Officers' accounts: throttled sign-in, the sign-in audit, session rules."""
