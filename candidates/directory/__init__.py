"""The candidate directory: a local index of each linked account's candidates, kept in step
with StackOne, so that people can find a candidate by any part of a name, email, phone or company.

It is an index, never the source of truth: the edit page, the conflict check and the read-back
always read StackOne. It keeps only what search and the list display need (no passthrough).
"""
