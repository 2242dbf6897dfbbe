"""tollguard: per-call toll-fraud decisions (libtollguard), for analysts.

    import tollguard
    engine = tollguard.Engine(home_country="JP", timezone="Asia/Tokyo")
    engine.check("010 1 876 555 1234")          # -> Decision(action='alert', score=..., reasons=[...])
    decisions = tollguard.replay("cdrs.csv")     # pandas DataFrame: input columns + decisions
    tollguard.evaluate(decisions)                # back-test figures against a `label` column

The compiled part (_tollguard) binds the public C API of libtollguard.so, the same ABI vendors link.
Errors: tollguard.Error (with .status, .line, .column, .message).
"""

from . import _tollguard
from ._errors import Error, status_name

_tollguard._set_error_class(Error)

from ._engine import REASONS, STATUS, Decision, Engine, reason_names, to_unix_ms  # noqa: E402
from ._evaluate import evaluate  # noqa: E402
from ._plot import plot_timeline  # noqa: E402
from ._replay import DECISION_COLUMNS, read_cdrs, replay  # noqa: E402

__version__ = _tollguard.HEADER_VERSION


def library_version():
    """Version of the libtollguard.so that is loaded, as "MAJOR.MINOR.PATCH"."""
    v = _tollguard.version_number()
    return f"{v // 10000}.{v // 100 % 100}.{v % 100}"


__all__ = ["DECISION_COLUMNS", "Decision", "Engine", "Error", "REASONS", "STATUS", "evaluate", "library_version",
           "plot_timeline", "read_cdrs", "reason_names", "replay", "status_name", "to_unix_ms"]
