"""What can go wrong with a history store, split by whose it is to fix.

`StoreInputError`: what the user gave is wrong (a bad URL, a file that is not a valid result, a store newer
than this govern or one that needs `govern history upgrade`, an unknown fingerprint): exit 2.
`StoreUnavailable`: the store could not be reached or failed while answering: exit 3, nothing changed.
Messages never carry a URL's password (url.redact).
"""

from __future__ import annotations


class HistoryError(Exception):
    """Any failure of the history store; its message is safe to print."""


class StoreInputError(HistoryError):
    """The user's input or store is wrong (exit 2)."""


class StoreUnavailable(HistoryError):
    """The store could not be reached, or failed (exit 3)."""
