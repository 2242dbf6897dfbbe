#include "bindings/python/cdr_binding.h"

#include <pybind11/stl.h>

#include <vector>

#include "tools/replay/cdr_table.h"
#include "tools/replay/civil_time.h"

namespace tollguard::py_binding {
namespace rp = tollguard::replay;
namespace {

std::optional<rp::Zone> LoadZone(const std::optional<std::string>& name) {
  if (!name) return std::nullopt;
  rp::Zone z;
  std::string error;
  if (!rp::Zone::Load(*name, &z, &error)) Raise(TG_E_INVALID_ARGUMENT, "timezone: " + error);
  return z;
}

}  // namespace

py::dict ReadCdrs(const std::string& path, const std::string& format, std::optional<std::string> timezone,
                  bool strict) {
  rp::ReadOptions ro;
  if (format == "asterisk") {
    ro.format = rp::CdrFormat::kAsterisk;
    if (!timezone) Raise(TG_E_INVALID_ARGUMENT, "format='asterisk' needs timezone=: Master.csv holds the PBX's local times");
  } else if (format != "csv") {
    Raise(TG_E_INVALID_ARGUMENT, "format: expected 'csv' or 'asterisk', not '" + format + "'");
  }
  const std::optional<rp::Zone> zone = LoadZone(timezone);
  ro.zone = zone ? &*zone : nullptr;
  ro.strict = strict;
  rp::CdrTable t;
  std::string error;
  bool read_ok;
  rp::ReadStatus rs = rp::ReadStatus::kOk;
  {
    py::gil_scoped_release nogil;
    std::string text;
    read_ok = rp::ReadWholeFile(path, &text, &error);
    if (read_ok) rs = rp::ReadCdrs(std::move(text), ro, &t, &error);
  }
  if (!read_ok) Raise(TG_E_IO, error);
  if (rs == rp::ReadStatus::kBadHeader) Raise(TG_E_INVALID_ARGUMENT, path + ": " + error);
  if (rs == rp::ReadStatus::kStrictStop) {
    const rp::BadRow& b = t.bad_rows.back();
    Raise(TG_E_INVALID_ARGUMENT, path + ":" + std::to_string(b.line) + ": " + b.message, b.line, 0);
  }

  const size_t n = t.size(), ncols = t.num_fields;
  std::vector<ObjectColumn> cols;
  cols.reserve(ncols);
  for (size_t c = 0; c < ncols; ++c) cols.emplace_back(n);
  py::str empty("");
  std::vector<std::string_view> fields;
  std::string scratch;
  for (size_t i = 0; i < n; ++i) {
    rp::SplitRecord(t.raw[i], &fields, &scratch);
    for (size_t c = 0; c < ncols; ++c) {
      if (c < fields.size()) {
        cols[c].SetNew(i, PyUnicode_DecodeUTF8(fields[c].data(), static_cast<Py_ssize_t>(fields[c].size()), "replace"));
      } else {
        cols[c].Set(i, empty.ptr());
      }
    }
  }
  py::list values;
  for (auto& c : cols) values.append(c.release());
  std::vector<int64_t> duration(t.duration_s.begin(), t.duration_s.end());
  std::vector<int64_t> line(t.line.begin(), t.line.end());
  py::list bad;
  for (const rp::BadRow& b : t.bad_rows) bad.append(py::make_tuple(b.line, b.message));
  ObjectColumn account(n), dialed(n);
  for (size_t i = 0; i < n; ++i) {
    account.SetNew(i, PyUnicode_DecodeUTF8(t.account[i].data(), static_cast<Py_ssize_t>(t.account[i].size()), "replace"));
    dialed.SetNew(i, PyUnicode_DecodeUTF8(t.dialed[i].data(), static_cast<Py_ssize_t>(t.dialed[i].size()), "replace"));
  }
  py::dict out;
  out["columns"] = t.columns;
  out["values"] = values;
  out["start_ms"] = ToNumpy(t.start_ms);
  out["account"] = account.release();
  out["dialed"] = dialed.release();
  out["duration"] = ToNumpy(duration);
  out["line"] = ToNumpy(line);
  out["bad_rows"] = bad;
  out["bad_count"] = t.bad_count;
  return out;
}

py::tuple ParseStarts(py::array values, std::optional<std::string> timezone) {
  const std::optional<rp::Zone> zone = LoadZone(timezone);
  StringColumn col;
  col.Load(values, "start");
  const size_t n = col.views.size();
  py::array_t<int64_t> out(static_cast<py::ssize_t>(n));
  int64_t* ms = out.mutable_data();
  int64_t bad = -1;
  const char* why = "";
  {
    py::gil_scoped_release nogil;
    for (size_t i = 0; i < n; ++i) {
      if (!rp::ParseStart(col.views[i], zone ? &*zone : nullptr, &ms[i], &why)) {
        bad = static_cast<int64_t>(i);
        break;
      }
    }
  }
  std::string message;
  if (bad >= 0) message = "'" + std::string(col.views[static_cast<size_t>(bad)].substr(0, 40)) + "': " + why;
  return py::make_tuple(out, bad, message);
}


}  // namespace tollguard::py_binding
