#include "bindings/python/py_common.h"

#include <cmath>

namespace tollguard::py_binding {
namespace {

// tollguard.Error, registered by tollguard/__init__.py (a plain reference kept for the process's life).
PyObject* g_error_class = nullptr;

}  // namespace

void SetErrorClass(py::object cls) {
  Py_XDECREF(g_error_class);
  g_error_class = cls.inc_ref().ptr();
}

void Raise(int status, const std::string& message, uint32_t line, uint32_t column) {
  if (g_error_class == nullptr) throw std::runtime_error(message);
  py::object exc = py::reinterpret_borrow<py::object>(g_error_class)(status, message, line, column);
  PyErr_SetObject(g_error_class, exc.ptr());
  throw py::error_already_set();
}

void RaiseError(const tg_error& err, tg_status st) {
  Raise(st, err.message[0] ? err.message : tg_status_string(st), err.line, err.column);
}

void StringColumn::Load(const py::array& arr, const char* what) {
  if (arr.ndim() != 1) throw py::value_error(std::string(what) + ": expected a 1-D array");
  if (arr.dtype().kind() != 'O') throw py::type_error(std::string(what) + ": expected an object array of str");
  const size_t n = static_cast<size_t>(arr.shape(0));
  const py::ssize_t stride = arr.strides(0);
  const char* base = static_cast<const char*>(arr.data());
  offsets.assign(1, 0);
  offsets.reserve(n + 1);
  buffer.clear();
  buffer.reserve(n * 12);
  for (size_t i = 0; i < n; ++i) {
    PyObject* o = *reinterpret_cast<PyObject* const*>(base + static_cast<py::ssize_t>(i) * stride);
    if (o == nullptr || o == Py_None || (PyFloat_Check(o) && std::isnan(PyFloat_AS_DOUBLE(o)))) {
      // missing: empty
    } else if (PyUnicode_Check(o)) {
      Py_ssize_t len = 0;
      const char* s = PyUnicode_AsUTF8AndSize(o, &len);
      if (s == nullptr) throw py::error_already_set();
      buffer.append(s, static_cast<size_t>(len));
    } else if (PyBytes_Check(o)) {
      buffer.append(PyBytes_AS_STRING(o), static_cast<size_t>(PyBytes_GET_SIZE(o)));
    } else {
      throw py::type_error(std::string(what) + "[" + std::to_string(i) + "]: expected str, not " +
                           Py_TYPE(o)->tp_name);
    }
    offsets.push_back(buffer.size());
  }
  views.resize(n);
  for (size_t i = 0; i < n; ++i) views[i] = std::string_view(buffer.data() + offsets[i], offsets[i + 1] - offsets[i]);
}

}  // namespace tollguard::py_binding
