// Reads a textproto policy, validates it, loads the tables it names and compiles a PolicySnapshot.
// Every error says file:line:column. Thread-safety: stateless; run by the thread that creates or reloads.
#ifndef TOLLGUARD_LIB_POLICY_LOADER_H_
#define TOLLGUARD_LIB_POLICY_LOADER_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "lib/policy/snapshot.h"

namespace tollguard::policy {

struct LoadOptions {
  std::string policy_path;   // empty: the embedded default policy
  std::string home_country;  // overrides the policy's when not empty
  std::string timezone;      // overrides the policy's when not empty
};

// Where an error is, for tg_error.
struct LoadError {
  absl::Status status;
  uint32_t line = 0, column = 0;
};

// Returns the compiled snapshot, or nullptr with *error filled.
std::unique_ptr<PolicySnapshot> LoadPolicy(const LoadOptions& options, LoadError* error);

// Reads a whole file; NotFound / PermissionDenied etc. naming the path.
absl::Status ReadFile(const std::string& path, std::string* out);

}  // namespace tollguard::policy

#endif  // TOLLGUARD_LIB_POLICY_LOADER_H_
