"""tollguard.Error: the one exception type of the package."""

from . import _tollguard

_STATUS_NAMES = {code: name[2:].lower() if name.startswith("E_") else name.lower()
                 for name, code in _tollguard.STATUS.items()}


def status_name(status):
    """snake_case name of a tg_status code ("number_chars"), or "status_N" for an unknown code."""
    return _STATUS_NAMES.get(status, f"status_{status}")


class Error(Exception):
    """An engine could not be created, reloaded or saved, or an argument is invalid.

    Attributes:
        status:  the C library's tg_status code (an int; see tollguard.STATUS).
        status_name: its snake_case name, e.g. "policy", "io", "invalid_argument".
        line, column: 1-based place in a policy or CDR file; 0 when the error is not about a place.
        message: the library's message (it names the file when there is one).
    """

    def __init__(self, status, message, line=0, column=0):
        super().__init__(status, message, line, column)
        self.status = int(status)
        self.message = str(message)
        self.line = int(line)
        self.column = int(column)

    @property
    def status_name(self):
        return status_name(self.status)

    def __str__(self):
        return f"{self.message} [{self.status_name}]"


Error.__module__ = "tollguard"
