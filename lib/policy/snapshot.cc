#include "lib/policy/snapshot.h"

#include "lib/util/strings.h"

namespace tollguard::policy {

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
