// Helpers shared by the lib/number unit tests.
#ifndef TOLLGUARD_TESTS_UNIT_NUMBER_NUMBER_TEST_UTIL_H_
#define TOLLGUARD_TESTS_UNIT_NUMBER_NUMBER_TEST_UTIL_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "lib/number/normalizer.h"
#include "tollguard/tollguard.h"

namespace tollguard::number::testing {

// The plan of `iso`; fails the test (and returns a default plan) when MakeDialPlan refuses it.
inline DialPlan Plan(std::string_view iso, std::string_view outside_line = {},
                     std::string_view local_area_code = {}) {
  absl::StatusOr<DialPlan> plan = MakeDialPlan(iso, outside_line, local_area_code);
  EXPECT_TRUE(plan.ok()) << iso << ": " << plan.status();
  return plan.ok() ? *plan : DialPlan{};
}

// "E.164 digits" on success, "status <n>" otherwise, so one EXPECT_EQ shows both kinds of mismatch.
inline std::string Norm(const DialPlan& plan, std::string_view dialed) {
  E164 out;
  tg_status status = Normalize(plan, dialed, &out);
  if (status != TG_OK) return "status " + std::to_string(status);
  return std::string(out.view());
}

inline std::string Err(tg_status status) { return "status " + std::to_string(status); }

}  // namespace tollguard::number::testing

#endif  // TOLLGUARD_TESTS_UNIT_NUMBER_NUMBER_TEST_UTIL_H_
