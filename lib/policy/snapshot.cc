#include "lib/policy/snapshot.h"

#include "lib/util/strings.h"

namespace tollguard::policy {

std::string_view PolicySnapshot::TenantOf(std::string_view account) const {
  for (char sep : tenant_separators) {
    const size_t at = account.rfind(sep);
    if (at == std::string_view::npos) continue;
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
