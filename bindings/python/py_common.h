// Shared pieces of the _tollguard extension: tollguard.Error raising, numpy object columns, string columns.
// Thread-safety: everything here needs the GIL, except reading a loaded StringColumn.
#ifndef TOLLGUARD_BINDINGS_PYTHON_PY_COMMON_H_
#define TOLLGUARD_BINDINGS_PYTHON_PY_COMMON_H_

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tollguard/tollguard.h"

namespace tollguard::py_binding {

namespace py = pybind11;

inline constexpr int64_t kMinMs = 946684800000LL;   // 2000-01-01, the engine's range (tollguard.h, TG_E_TIME)
inline constexpr int64_t kMaxMs = 7258118400000LL;  // 2200-01-01

// Registers tollguard.Error (tollguard/__init__.py does, at import).
void SetErrorClass(py::object cls);

// Raises tollguard.Error(status, message, line, column) (RuntimeError before SetErrorClass).
[[noreturn]] void Raise(int status, const std::string& message, uint32_t line = 0, uint32_t column = 0);
[[noreturn]] void RaiseError(const tg_error& err, tg_status st);

// Python str objects shared by many rows (names, countries, reason lists).
class StrCache {
 public:
  PyObject* Get(uint64_t key, std::string_view text) {
    return GetWith(key, [&] { return std::string(text); });
  }
  // make_text() runs only when the key is new.
  template <typename Fn>
  PyObject* GetWith(uint64_t key, Fn make_text) {
    auto it = map_.find(key);
    if (it == map_.end()) {
      const std::string text = make_text();
      it = map_.emplace(key, py::str(text.data(), text.size())).first;
    }
    return it->second.ptr();
  }

 private:
  std::unordered_map<uint64_t, py::object> map_;
};

// A 1-D numpy object array; Set() steals nothing (increfs).
class ObjectColumn {
 public:
  explicit ObjectColumn(size_t n) : arr_(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)}) {
    data_ = static_cast<PyObject**>(arr_.mutable_data());
  }
  void Set(size_t i, PyObject* borrowed) {
    Py_INCREF(borrowed);
    PyObject* old = data_[i];
    data_[i] = borrowed;
    Py_XDECREF(old);
  }
  void SetNew(size_t i, PyObject* owned) {
    if (owned == nullptr) throw py::error_already_set();
    PyObject* old = data_[i];
    data_[i] = owned;
    Py_XDECREF(old);
  }
  py::array release() { return std::move(arr_); }

 private:
  py::array arr_;
  PyObject** data_;
};

// Strings of an object array (str, bytes; None and NaN as empty) copied into one buffer, so no Python object
// is touched once the GIL is released.
struct StringColumn {
  std::string buffer;
  std::vector<size_t> offsets;  // n + 1
  std::vector<std::string_view> views;

  void Load(const py::array& arr, const char* what);
};

template <typename T>
py::array_t<T> ToNumpy(const std::vector<T>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(out.mutable_data(), v.data(), v.size() * sizeof(T));
  return out;
}

}  // namespace tollguard::py_binding

#endif  // TOLLGUARD_BINDINGS_PYTHON_PY_COMMON_H_
