"""degarble: restore synonym-spun text ("tortured phrases") to the wording its author meant.

>>> import degarble
>>> degarble.restore("Facial acknowledgment is used by law requirement.")
'Facial recognition is used by law enforcement.'
"""

from __future__ import annotations

from .changes import Change, Restoration, Suspect, apply_changes
from .dictionary import DictionaryError, Entry, check_entries, load_dictionary
from .restorer import Restorer, default_restorer, restore, restore_and_explain

__all__ = [
    "Change",
    "DictionaryError",
    "Entry",
    "Restoration",
    "Restorer",
    "Suspect",
    "apply_changes",
    "check_entries",
    "default_restorer",
    "load_dictionary",
    "restore",
    "restore_and_explain",
    "__version__",
]


__version__ = "0.1.0"
