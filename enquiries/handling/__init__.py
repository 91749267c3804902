"""Changing enquiries and contacts: the rules of an enquiry's fields, status,
assignment, thread, reclassification, contacts and the catalogue.
"""
