"""An offline stand-in for the StackOne unified ATS API.

Mounted at ``/sandbox/`` only in sandbox mode (no ``STACKONE_API_KEY``). It speaks StackOne's
paths, auth, headers, envelopes, errors and cursor pagination, keeps its data in the app's
database, and can inject latency, rate limits and faults (see ``sandbox.faults``).
"""
