#include "tools/replay/format.h"

#include <charconv>

namespace tollguard::replay {
namespace {

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, static_cast<size_t>(r.ptr - buf));
}

void AppendCStr(const char* s, std::string* out) {
  if (s != nullptr) out->append(s);
}

}  // namespace

void AppendReasons(uint64_t reasons, std::string* out) {
  bool first = true;
  for (int bit = 0; reasons != 0 && bit < 64; ++bit) {
    if (!(reasons & (uint64_t{1} << bit))) continue;
    reasons &= ~(uint64_t{1} << bit);
    if (!first) out->push_back(';');
    first = false;
    const char* name = tg_reason_name(bit);
    if (name != nullptr) {
      out->append(name);
    } else {
      out->append("bit");
      AppendInt(bit, out);
    }
  }
}

void AppendRate(int64_t micros, std::string* out) {
  if (micros < 0) {
    out->push_back('-');
    micros = -micros;
  }
  AppendInt(micros / 1000000, out);
  int64_t frac = micros % 1000000;
  if (frac == 0) return;
  char digits[7] = {'0', '0', '0', '0', '0', '0', 0};
  for (int i = 5; i >= 0; --i, frac /= 10) digits[i] = static_cast<char>('0' + frac % 10);
  int len = 6;
  while (len > 0 && digits[len - 1] == '0') --len;
  out->push_back('.');
  out->append(digits, static_cast<size_t>(len));
}

void AppendDecisionFields(const tg_decision& d, std::string* out) {
  out->push_back(',');
  AppendCStr(tg_action_name(d.action), out);
  out->push_back(',');
  AppendInt(d.score, out);
  out->push_back(',');
  AppendReasons(d.reasons, out);
  out->push_back(',');
  out->append(E164Of(d));
  out->push_back(',');
  out->append(CountryOf(d));
  out->push_back(',');
  AppendCStr(tg_number_type_name(d.number_type), out);
  out->push_back(',');
  AppendInt(d.risk_tier, out);
  out->push_back(',');
  AppendRate(d.rate_micros, out);
  out->push_back(',');
  AppendInt(d.max_duration_s, out);
}

}  // namespace tollguard::replay
