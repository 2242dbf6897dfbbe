#include "lib/policy/snapshot.h"

#include <string.h>  // memrchr (GNU)

#include "lib/util/strings.h"

namespace tollguard::policy {

std::string_view PolicySnapshot::TenantOf(std::string_view account) const {
  for (char sep : tenant_separators) {
    // glibc's memrchr scans 32 bytes per step; string_view::rfind goes byte by byte.
    const void* hit = account.empty() ? nullptr : memrchr(account.data(), sep, account.size());
    if (hit == nullptr) continue;
    const size_t at = static_cast<size_t>(static_cast<const char*>(hit) - account.data());
    std::string_view t = sep == '@' ? account.substr(at + 1) : account.substr(0, at);
    if (!t.empty()) return t;
  }
  return {};
}

AccountBinding PolicySnapshot::Bind(std::string_view account) const {
  if (!exact_accounts.empty()) {
    auto it = exact_accounts.find(Sv(account));
    if (it != exact_accounts.end()) return it->second;
  }
  for (const auto& [prefix, binding] : prefix_accounts) {
    if (account.substr(0, prefix.size()) == prefix) return binding;
  }
  return AccountBinding{};
}

}  // namespace tollguard::policy
