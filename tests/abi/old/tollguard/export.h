/* Symbol visibility for the tollguard C API. */
#ifndef TOLLGUARD_EXPORT_H_
#define TOLLGUARD_EXPORT_H_
#if defined(_WIN32)
#  define TG_API
#elif defined(__GNUC__)
#  define TG_API __attribute__((visibility("default")))
#else
#  define TG_API
#endif
#endif /* TOLLGUARD_EXPORT_H_ */
