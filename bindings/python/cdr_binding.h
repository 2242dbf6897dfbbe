// _tollguard.read_cdrs and parse_starts: the command line's CDR readers and time parser for Python.
// Thread-safety: need the GIL (released while a file is read and parsed).
#ifndef TOLLGUARD_BINDINGS_PYTHON_CDR_BINDING_H_
#define TOLLGUARD_BINDINGS_PYTHON_CDR_BINDING_H_

#include <optional>
#include <string>

#include "bindings/python/py_common.h"

namespace tollguard::py_binding {

// Reads a CDR file (format "csv" or "asterisk") into a dict: columns (names), values (one object array of str
// per column), start_ms, account, dialed, duration, line (per good row), bad_rows [(line, message)], bad_count.
// Raises tollguard.Error: E_IO (unreadable), E_INVALID_ARGUMENT (header, format, timezone; strict: the first
// bad row, with its line).
py::dict ReadCdrs(const std::string& path, const std::string& format, std::optional<std::string> timezone,
                  bool strict);

// Parses start times (an object array of str) into Unix ms: returns (ms, bad_index, message); bad_index is -1
// when all parse.
py::tuple ParseStarts(py::array values, std::optional<std::string> timezone);

}  // namespace tollguard::py_binding

#endif  // TOLLGUARD_BINDINGS_PYTHON_CDR_BINDING_H_
