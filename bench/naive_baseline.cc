#include "bench/naive_baseline.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include "tollguard/tollguard.h"

namespace tollguard::bench {
namespace {

// The default policy's high-risk countries, weights and thresholds, copied by hand as a vendor would.
const char* const kHighRisk[] = {
    "AC", "AD", "AI", "AL", "AO", "AW", "AZ", "BA", "BB", "BE", "BI", "BJ", "BM", "BY", "CD", "CG", "CH", "CI",
    "CK", "CL", "CM", "CU", "CV", "DM", "DZ", "EC", "EE", "ES", "GA", "GE", "GM", "GN", "GQ", "GW", "GY", "IL",
    "JM", "KG", "KI", "KM", "KZ", "LR", "LS", "LT", "LV", "MA", "MC", "ME", "MG", "MV", "MX", "MZ", "NA", "PG",
    "PL", "RS", "RU", "SB", "SC", "SE", "SI", "SL", "SN", "SO", "SR", "TD", "TG", "TL", "TN", "TR", "UG", "VU",
    "WS", "XK", "YE", "ZM", "ZW"};
const char* const kHolidays[] = {  // Japan 2025-2026
    "2025-01-01", "2025-01-13", "2025-02-11", "2025-02-23", "2025-02-24", "2025-03-20", "2025-04-29",
    "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-06", "2025-07-21", "2025-08-11", "2025-09-15",
    "2025-09-23", "2025-10-13", "2025-11-03", "2025-11-23", "2025-11-24", "2025-12-29", "2025-12-30",
    "2025-12-31", "2026-01-01", "2026-01-02", "2026-01-03", "2026-01-12", "2026-02-11", "2026-02-23",
    "2026-03-20", "2026-04-29", "2026-05-03", "2026-05-04", "2026-05-05", "2026-05-06"};

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string field;
  while (std::getline(ss, field, ',')) out.push_back(field);
  return out;
}

}  // namespace

NaiveEngine::NaiveEngine(std::string_view default_table, const std::string& deck_path) {
  setenv("TZ", "Asia/Tokyo", 1);
  tzset();
  for (const char* c : kHighRisk) high_risk_.insert(c);
  for (const char* h : kHolidays) holidays_.insert(h);
  std::istringstream table{std::string(default_table)};
  std::string line;
  while (std::getline(table, line)) {
    if (line.empty() || !std::isdigit(static_cast<unsigned char>(line[0]))) continue;
    std::vector<std::string> f = SplitCsv(line);
    if (f.size() < 3) continue;
    NaiveAttrs a;
    a.country = f[1];
    a.premium = f[2] == "PREMIUM_RATE" || f[2] == "SHARED_COST" || f[2] == "PERSONAL_NUMBER";
    a.tier = a.premium ? 3 : a.country == "JP" ? 0 : high_risk_.count(a.country) ? 2 : 1;
    a.rate = a.premium ? 2.0 : a.country == "JP" ? 0.03 : 0.10;
    prefixes_[f[0]] = a;
  }
  std::ifstream deck(deck_path);
  while (std::getline(deck, line)) {
    if (line.empty() || !std::isdigit(static_cast<unsigned char>(line[0]))) continue;
    std::vector<std::string> f = SplitCsv(line);
    if (f.size() < 3) continue;
    NaiveAttrs a;
    if (const NaiveAttrs* parent = Lookup(f[0])) a = *parent;
    a.rate = std::atof(f[2].c_str());
    prefixes_[f[0]] = a;
  }
}

size_t NaiveEngine::accounts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return accounts_.size();
}

bool NaiveEngine::Normalize(std::string_view dialed, std::string* e164) {
  std::string s(dialed);
  if (s.rfind("sip:", 0) == 0 || s.rfind("tel:", 0) == 0) {
    s = s.substr(4);
    const size_t end = s.find_first_of("@;");
    if (end != std::string::npos) s = s.substr(0, end);
  }
  s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == ' ' || c == '-' || c == '(' || c == ')' || c == '.'; }),
          s.end());
  if (s.empty()) return false;
  std::string digits;
  if (s[0] == '+') {
    digits = s.substr(1);
  } else if (s.rfind("010", 0) == 0) {
    digits = s.substr(3);
  } else if (s[0] == '0') {
    digits = "81" + s.substr(1);
  } else {
    digits = "81" + s;
  }
  if (digits.size() < 7 || digits.size() > 15) return false;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  *e164 = digits;
  return true;
}

const NaiveAttrs* NaiveEngine::Lookup(const std::string& e164) const {
  for (size_t len = std::min<size_t>(e164.size(), 15); len > 0; --len) {
    auto it = prefixes_.find(e164.substr(0, len));
    if (it != prefixes_.end()) return &it->second;
  }
  return nullptr;
}

int NaiveEngine::Begin(std::string_view account, std::string_view dialed, int64_t start_ms, uint64_t call_id,
                       NaiveDecision* out) {
  std::string e164;
  if (!Normalize(dialed, &e164)) {
    out->action = TG_ACTION_ALERT;
    out->score = 350;
    return 1;
  }
  const NaiveAttrs* found = Lookup(e164);
  const NaiveAttrs attrs = found ? *found : NaiveAttrs{1.0, "", 2, false};
  const bool intl = attrs.country != "JP";
  // Local time the obvious way.
  const time_t t = static_cast<time_t>(start_ms / 1000);
  struct tm tm;
  localtime_r(&t, &tm);
  char date[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
  const bool holiday = holidays_.count(date) > 0;
  const bool weekend = tm.tm_wday == 0 || tm.tm_wday == 6;
  const bool off_hours = weekend || holiday || tm.tm_hour < 8 || tm.tm_hour >= 19;
  const bool night = tm.tm_hour >= 22 || tm.tm_hour < 6;
  const int64_t day_key = (tm.tm_year + 1900) * 400 + tm.tm_yday;

  std::lock_guard<std::mutex> lock(mu_);
  auto ins = accounts_.try_emplace(std::string(account));
  Account& a = ins.first->second;
  if (ins.second) a.first_seen_ms = start_ms;
  // Calendar windows: reset when the minute / hour / day changes.
  if (a.minute_key != start_ms / 60000) a.minute_key = start_ms / 60000, a.attempts_minute = 0;
  if (a.ten_minute_key != start_ms / 600000) a.ten_minute_key = start_ms / 600000, a.attempts_10m = 0;
  if (a.hour_key != start_ms / 3600000) a.hour_key = start_ms / 3600000, a.attempts_hour = 0, a.intl_hour = 0, a.high_risk_hour = 0;
  if (a.day_key != day_key) a.day_key = day_key, a.attempts_day = 0;
  if (a.spend_hour_key != start_ms / 3600000) a.spend_hour_key = start_ms / 3600000, a.spend_hour = 0;
  if (a.spend_day_key != day_key) a.spend_day_key = day_key, a.spend_day = 0;
  ++a.attempts_minute, ++a.attempts_10m, ++a.attempts_hour, ++a.attempts_day;
  if (intl) ++a.intl_hour;
  if (attrs.tier >= 2) ++a.high_risk_hour;
  // Patterns over the recent numbers.
  int repeats = 1, fanout = 1, sweep = 0;
  const std::string range = e164.substr(0, e164.size() - 3);
  std::set<std::string> same_range{e164};
  for (const std::string& r : a.recent) {
    if (r == e164) ++repeats;
    if (r.substr(0, r.size() - 3) == range) same_range.insert(r);
  }
  fanout = static_cast<int>(same_range.size());
  if (!a.recent.empty()) {
    const long long prev = std::stoll(a.recent.back()), cur = std::stoll(e164);
    if (cur - prev == 1 || prev - cur == 1) sweep = 2;
  }
  // Score with the default policy's weights.
  int score = intl ? 60 : 0;
  const double scale = attrs.tier == 0 ? 0.25 : attrs.tier == 1 ? 0.5 : 1.0;
  if (attrs.premium) score += 300;
  if (high_risk_.count(attrs.country)) score += 200;
  if (attrs.rate > 0.8) score += 100;
  if (off_hours) score += static_cast<int>(100 * scale);
  if (night) score += static_cast<int>(200 * scale);
  if (weekend) score += static_cast<int>(120 * scale);
  if (holiday) score += static_cast<int>(150 * scale);
  if (a.attempts_minute > 10) score += 150;
  if (a.attempts_10m > 40) score += 150;
  if (a.attempts_hour > 120) score += 100;
  if (a.attempts_day > 800) score += 100;
  if (a.intl_hour > 30) score += 200;
  if (a.high_risk_hour > 4) score += 300;
  if (a.live >= 30) score += 250;
  if (a.spend_hour + a.live_rate > 40) score += 600;
  if (a.spend_day + a.live_rate > 150) score += 600;
  if (sweep >= 3) score += 250;
  if (fanout >= 4) score += 200;
  if (repeats >= 4) score += 150;
  if (intl && !a.known_countries.count(attrs.country)) score += static_cast<int>(200 * scale);
  if (start_ms - a.first_seen_ms < 7 * 86400000LL) score += static_cast<int>(100 * scale);
  out->score = std::min(score, 1000);
  out->action = score >= 600 ? TG_ACTION_BLOCK : score >= 350 ? TG_ACTION_ALERT : TG_ACTION_ALLOW;
  out->e164 = e164;
  out->country = attrs.country;
  out->rate = attrs.rate;
  // Record.
  a.recent.push_back(e164);
  if (a.recent.size() > 8) a.recent.erase(a.recent.begin());
  if (out->action != TG_ACTION_BLOCK && call_id != 0) {
    Live l;
    l.account = std::string(account);
    l.country = attrs.country;
    l.rate = attrs.rate;
    l.start_ms = start_ms;
    l.intl = intl;
    live_[call_id] = l;
    ++a.live;
    a.live_rate += attrs.rate;
  }
  return 0;
}

int NaiveEngine::End(uint64_t call_id, int64_t end_ms, int billed_seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = live_.find(call_id);
  if (it == live_.end()) return 1;
  const Live l = it->second;
  live_.erase(it);
  auto ait = accounts_.find(l.account);
  if (ait == accounts_.end()) return 0;
  Account& a = ait->second;
  --a.live;
  a.live_rate -= l.rate;
  const double cost = l.rate * billed_seconds / 60.0;
  const time_t t = static_cast<time_t>(end_ms / 1000);
  struct tm tm;
  localtime_r(&t, &tm);
  const int64_t day_key = (tm.tm_year + 1900) * 400 + tm.tm_yday;
  if (a.spend_hour_key != end_ms / 3600000) a.spend_hour_key = end_ms / 3600000, a.spend_hour = 0;
  if (a.spend_day_key != day_key) a.spend_day_key = day_key, a.spend_day = 0;
  a.spend_hour += cost;
  a.spend_day += cost;
  if (billed_seconds > 0 && l.intl) a.known_countries.insert(l.country);
  return 0;
}

}  // namespace tollguard::bench
