"""Forms: shape only; the services check the rules."""
