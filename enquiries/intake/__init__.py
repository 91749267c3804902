"""How enquiries come in: the public form, an officer's log, inbound mail,
the rate limit.
"""
