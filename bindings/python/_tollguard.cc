// _tollguard: the thin compiled half of the `tollguard` Python package. It binds the public C API
// (include/tollguard/tollguard.h) through libtollguard.so, so Python exercises the ABI vendors link, plus the
// command line's replay library (tools/replay). The Pythonic layer (argument conversion, Decision, DataFrames,
// tollguard.Error) lives in tollguard/*.py.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "bindings/python/cdr_binding.h"
#include "bindings/python/engine_binding.h"
#include "bindings/python/py_common.h"
#include "tollguard/tollguard.h"

namespace py = pybind11;
using tollguard::py_binding::Engine;

PYBIND11_MODULE(_tollguard, m) {
  m.doc() = "Thin binding of libtollguard's C API; use the tollguard package.";

  m.def("_set_error_class", &tollguard::py_binding::SetErrorClass, py::arg("cls"));
  m.def("status_string", &tg_status_string, py::arg("status"));
  m.def("reason_name", [](int bit) -> std::optional<std::string> {
    const char* s = tg_reason_name(bit);
    if (s == nullptr) return std::nullopt;
    return std::string(s);
  });
  m.def("number_type_name", &tg_number_type_name, py::arg("number_type"));
  m.def("action_name", [](int32_t action) -> std::optional<std::string> {
    const char* s = tg_action_name(action);
    if (s == nullptr) return std::nullopt;
    return std::string(s);
  });
  m.def("version_number", &tg_version_number);
  m.attr("HEADER_VERSION") = TG_VERSION_STRING;

  // Constants of the header, so Python never restates them.
  py::dict status;
  status["OK"] = static_cast<int>(TG_OK);
  status["E_INVALID_ARGUMENT"] = static_cast<int>(TG_E_INVALID_ARGUMENT);
  status["E_STRUCT_SIZE"] = static_cast<int>(TG_E_STRUCT_SIZE);
  status["E_STRUCT_TAIL"] = static_cast<int>(TG_E_STRUCT_TAIL);
  status["E_NUMBER_EMPTY"] = static_cast<int>(TG_E_NUMBER_EMPTY);
  status["E_NUMBER_CHARS"] = static_cast<int>(TG_E_NUMBER_CHARS);
  status["E_NUMBER_TOO_LONG"] = static_cast<int>(TG_E_NUMBER_TOO_LONG);
  status["E_NUMBER_COUNTRY"] = static_cast<int>(TG_E_NUMBER_COUNTRY);
  status["E_NUMBER_TOO_SHORT"] = static_cast<int>(TG_E_NUMBER_TOO_SHORT);
  status["E_POLICY"] = static_cast<int>(TG_E_POLICY);
  status["E_IO"] = static_cast<int>(TG_E_IO);
  status["E_STATE_CORRUPT"] = static_cast<int>(TG_E_STATE_CORRUPT);
  status["E_STATE_VERSION"] = static_cast<int>(TG_E_STATE_VERSION);
  status["E_UNKNOWN_CALL"] = static_cast<int>(TG_E_UNKNOWN_CALL);
  status["E_TIME"] = static_cast<int>(TG_E_TIME);
  status["E_CAPACITY"] = static_cast<int>(TG_E_CAPACITY);
  status["E_NO_MEMORY"] = static_cast<int>(TG_E_NO_MEMORY);
  status["E_INTERNAL"] = static_cast<int>(TG_E_INTERNAL);
  status["E_ACCOUNT"] = static_cast<int>(TG_E_ACCOUNT);
  m.attr("STATUS") = status;
  m.attr("REASON_COUNT") = static_cast<int>(TG_REASON_COUNT);
  m.attr("MAX_DIALED_LEN") = TG_MAX_DIALED_LEN;
  m.attr("MAX_ACCOUNT_LEN") = TG_MAX_ACCOUNT_LEN;
  m.attr("MIN_TIME_MS") = tollguard::py_binding::kMinMs;
  m.attr("MAX_TIME_MS") = tollguard::py_binding::kMaxMs;

  py::class_<Engine>(m, "Engine")
      .def(py::init<std::optional<std::string>, std::optional<std::string>, std::optional<std::string>,
                    std::optional<std::string>, uint32_t, uint32_t>(),
           py::arg("home_country"), py::arg("timezone"), py::arg("policy"), py::arg("state"),
           py::arg("max_accounts"), py::arg("max_live_calls"))
      .def("score", [](Engine& e, const std::string& account, const std::string& dialed, int64_t at_ms) {
             return e.Decide(account, dialed, at_ms, 0, false);
           }, py::arg("account"), py::arg("dialed"), py::arg("at_ms"))
      .def("begin", [](Engine& e, const std::string& account, const std::string& dialed, int64_t at_ms,
                       uint64_t call_id) { return e.Decide(account, dialed, at_ms, call_id, true); },
           py::arg("account"), py::arg("dialed"), py::arg("at_ms"), py::arg("call_id"))
      .def("end", &Engine::End, py::arg("call_id"), py::arg("at_ms"), py::arg("billed_seconds"))
      .def("reload", &Engine::Reload, py::arg("policy"))
      .def("save_state", &Engine::SaveState, py::arg("path"))
      .def("stats", &Engine::Stats)
      .def("replay", &Engine::Replay, py::arg("start_ms"), py::arg("account"), py::arg("dialed"), py::arg("duration"))
      .def("close", &Engine::Close)
      .def_property_readonly("closed", &Engine::closed)
      .def_property_readonly("warning", &Engine::warning);

  m.def("read_cdrs", &tollguard::py_binding::ReadCdrs, py::arg("path"), py::arg("format"), py::arg("timezone"), py::arg("strict"));
  m.def("parse_starts", &tollguard::py_binding::ParseStarts, py::arg("values"), py::arg("timezone"));
}
