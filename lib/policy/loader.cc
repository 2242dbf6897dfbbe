#include "lib/policy/loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "lib/destination/table_files.h"
#include "lib/util/embedded.h"
#include "lib/util/strings.h"
#include "policy.pb.h"

namespace tollguard::policy {
namespace {

using google::protobuf::TextFormat;

constexpr char kEmbeddedName[] = "<embedded default policy>";

// Collects the first parse error instead of printing to stderr.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (!has_) {
      has_ = true;
      line_ = line + 1;
      column_ = column + 1;
      message_ = message;
    }
  }
  void AddWarning(int, int, const std::string&) override {}
  bool has_ = false;
  int line_ = 0, column_ = 0;
  std::string message_;
};

// Builds errors that point at a field of the parsed text.
class Locator {
 public:
  Locator(std::string file, const TextFormat::ParseInfoTree* tree) : file_(std::move(file)), tree_(tree) {}

  // The error at `field` (index for repeated fields) of the message whose info tree is `tree`.
  bool Fail(LoadError* err, const TextFormat::ParseInfoTree* tree, const google::protobuf::Message& msg,
            std::string_view field, int index, absl::string_view message) const {
    const google::protobuf::FieldDescriptor* fd = msg.GetDescriptor()->FindFieldByName(std::string(field));
    google::protobuf::TextFormat::ParseLocation loc;
    if (tree && fd) loc = tree->GetLocation(fd, fd->is_repeated() ? index : -1);
    // Elements of a list written as `field: [a, b]` have no location of their own: point at the list.
    if (tree && fd && loc.line < 0 && fd->is_repeated()) loc = tree->GetLocation(fd, 0);
    err->line = loc.line >= 0 ? static_cast<uint32_t>(loc.line + 1) : 0;
    err->column = loc.column >= 0 ? static_cast<uint32_t>(loc.column + 1) : 0;
    err->status = absl::InvalidArgumentError(absl::StrCat(file_, ":", err->line, ":", err->column, ": ", message));
    return false;
  }
  const TextFormat::ParseInfoTree* Nested(const TextFormat::ParseInfoTree* tree, const google::protobuf::Message& msg,
                                          std::string_view field, int index = -1) const {
    if (!tree) return nullptr;
    const google::protobuf::FieldDescriptor* fd = msg.GetDescriptor()->FindFieldByName(std::string(field));
    return fd ? tree->GetTreeForNested(fd, fd->is_repeated() ? index : -1) : nullptr;
  }
  const std::string& file() const { return file_; }
  const TextFormat::ParseInfoTree* root() const { return tree_; }

 private:
  std::string file_;
  const TextFormat::ParseInfoTree* tree_;
};

bool Parse(std::string_view text, const std::string& file, Policy* out, TextFormat::ParseInfoTree* tree,
           LoadError* err) {
  TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(tree);
  google::protobuf::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  if (!parser.Parse(&input, out)) {
    err->line = static_cast<uint32_t>(std::max(errors.line_, 0));
    err->column = static_cast<uint32_t>(std::max(errors.column_, 0));
    err->status = absl::InvalidArgumentError(
        absl::StrCat(file, ":", err->line, ":", err->column, ": ", errors.has_ ? errors.message_ : "parse error"));
    return false;
  }
  return true;
}

// Whether `field` of `msg` was written: in the text (when there is a parse tree), else proto3 presence.
bool Present(const google::protobuf::Message& msg, const google::protobuf::FieldDescriptor* fd,
             const TextFormat::ParseInfoTree* tree) {
  if (tree) return tree->GetLocation(fd, fd->is_repeated() ? 0 : -1).line >= 0;
  const google::protobuf::Reflection* r = msg.GetReflection();
  return fd->is_repeated() ? r->FieldSize(msg, fd) > 0 : r->HasField(msg, fd);
}

// Lays `over` onto `base`: written scalars replace, written messages merge recursively, written repeated
// fields replace the whole list. Policy.profiles merge by name.
void Overlay(const google::protobuf::Message& over, const TextFormat::ParseInfoTree* tree,
             google::protobuf::Message* base) {
  const google::protobuf::Descriptor* desc = over.GetDescriptor();
  const google::protobuf::Reflection* ro = over.GetReflection();
  const google::protobuf::Reflection* rb = base->GetReflection();
  for (int i = 0; i < desc->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* fd = desc->field(i);
    if (!Present(over, fd, tree)) continue;
    if (desc == Policy::descriptor() && fd->name() == "profiles") {
      Policy* bp = static_cast<Policy*>(base);
      const Policy& op = static_cast<const Policy&>(over);
      for (int j = 0; j < op.profiles_size(); ++j) {
        Profile* target = nullptr;
        for (Profile& bprof : *bp->mutable_profiles()) {
          if (bprof.name() == op.profiles(j).name()) target = &bprof;
        }
        if (target == nullptr) target = bp->add_profiles();
        Overlay(op.profiles(j), tree ? tree->GetTreeForNested(fd, j) : nullptr, target);
      }
      continue;
    }
    if (fd->is_repeated()) {
      rb->ClearField(base, fd);
      const int n = ro->FieldSize(over, fd);
      for (int k = 0; k < n; ++k) {
        switch (fd->cpp_type()) {
          case google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE:
            rb->AddMessage(base, fd)->CopyFrom(ro->GetRepeatedMessage(over, fd, k));
            break;
          case google::protobuf::FieldDescriptor::CPPTYPE_STRING:
            rb->AddString(base, fd, ro->GetRepeatedString(over, fd, k));
            break;
          case google::protobuf::FieldDescriptor::CPPTYPE_INT32:
            rb->AddInt32(base, fd, ro->GetRepeatedInt32(over, fd, k));
            break;
          default:
            break;  // the schema has no other repeated scalar types
        }
      }
    } else if (fd->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      Overlay(ro->GetMessage(over, fd), tree ? tree->GetTreeForNested(fd, -1) : nullptr,
              rb->MutableMessage(base, fd));
    } else {
      switch (fd->cpp_type()) {
        case google::protobuf::FieldDescriptor::CPPTYPE_STRING: rb->SetString(base, fd, ro->GetString(over, fd)); break;
        case google::protobuf::FieldDescriptor::CPPTYPE_INT32: rb->SetInt32(base, fd, ro->GetInt32(over, fd)); break;
        case google::protobuf::FieldDescriptor::CPPTYPE_UINT32: rb->SetUInt32(base, fd, ro->GetUInt32(over, fd)); break;
        case google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE: rb->SetDouble(base, fd, ro->GetDouble(over, fd)); break;
        case google::protobuf::FieldDescriptor::CPPTYPE_BOOL: rb->SetBool(base, fd, ro->GetBool(over, fd)); break;
        case google::protobuf::FieldDescriptor::CPPTYPE_ENUM: rb->SetEnumValue(base, fd, ro->GetEnumValue(over, fd)); break;
        default: break;
      }
    }
  }
}

int ActionOf(Action a, int fallback) {
  switch (a) {
    case ALLOW: return TG_ACTION_ALLOW;
    case ALERT: return TG_ACTION_ALERT;
    case BLOCK: return TG_ACTION_BLOCK;
    default: return fallback;
  }
}

std::string Dirname(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

std::string Resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  return base_dir + "/" + path;
}

bool CompileProfile(const Profile& p, const Locator& loc, const TextFormat::ParseInfoTree* tree,
                    CompiledProfile* out, LoadError* err) {
  out->name = p.name();
  out->shadow = p.shadow();
  const BusinessHours& h = p.hours();
  const auto* htree = loc.Nested(tree, p, "hours");
  out->always_open = h.always_open();
  if (h.start_hour() < 0 || h.start_hour() > 23) return loc.Fail(err, htree, h, "start_hour", -1, "start_hour must be 0..23");
  if (h.end_hour() < 0 || h.end_hour() > 24) return loc.Fail(err, htree, h, "end_hour", -1, "end_hour must be 1..24");
  if (h.end_hour() != 0 && h.end_hour() <= h.start_hour()) return loc.Fail(err, htree, h, "end_hour", -1, "end_hour must be after start_hour");
  if (h.night_start_hour() < 0 || h.night_start_hour() > 23) return loc.Fail(err, htree, h, "night_start_hour", -1, "night_start_hour must be 0..23");
  if (h.night_end_hour() < 0 || h.night_end_hour() > 23) return loc.Fail(err, htree, h, "night_end_hour", -1, "night_end_hour must be 0..23");
  out->start_hour = static_cast<uint8_t>(h.start_hour());
  out->end_hour = static_cast<uint8_t>(h.end_hour() == 0 ? 24 : h.end_hour());
  out->night_start = static_cast<uint8_t>(h.night_start_hour());
  out->night_end = static_cast<uint8_t>(h.night_end_hour());
  if (h.weekdays_size() > 0) {
    out->weekday_mask = 0;
    for (int i = 0; i < h.weekdays_size(); ++i) {
      if (h.weekdays(i) < 1 || h.weekdays(i) > 7) return loc.Fail(err, htree, h, "weekdays", i, "weekdays are 1 (Monday) .. 7 (Sunday)");
      out->weekday_mask |= static_cast<uint8_t>(1u << (h.weekdays(i) - 1));
    }
  }
  if (p.alert_score() < 0 || p.alert_score() > 1000) return loc.Fail(err, tree, p, "alert_score", -1, "alert_score must be 0..1000");
  if (p.block_score() < 0 || p.block_score() > 1001) return loc.Fail(err, tree, p, "block_score", -1, "block_score must be 0..1001 (1001: never block)");
  if (p.block_score() != 0 && p.alert_score() > p.block_score()) return loc.Fail(err, tree, p, "alert_score", -1, "alert_score must not exceed block_score");
  out->alert_score = p.alert_score() ? p.alert_score() : 350;
  out->block_score = p.block_score() ? p.block_score() : 600;
  // Weights: by field number order, which equals TG_REASON_* order for the reason-weights below.
  const Weights& w = p.weights();
  const auto* wtree = loc.Nested(tree, p, "weights");
  const google::protobuf::Reflection* refl = w.GetReflection();
  const google::protobuf::Descriptor* desc = w.GetDescriptor();
  for (int i = 0; i < desc->field_count(); ++i) {
    const auto* fd = desc->field(i);
    const int v = refl->GetInt32(w, fd);
    if (v < 0 || v > 1000) return loc.Fail(err, wtree, w, fd->name(), -1, absl::StrCat(fd->name(), " must be 0..1000"));
  }
  auto& wt = out->weight;
  wt[TG_REASON_DENY_LIST] = static_cast<int16_t>(w.deny_list());
  wt[TG_REASON_PREMIUM_NUMBER] = static_cast<int16_t>(w.premium_number());
  wt[TG_REASON_HIGH_RISK_COUNTRY] = static_cast<int16_t>(w.high_risk_country());
  wt[TG_REASON_INTL_NETWORK] = static_cast<int16_t>(w.intl_network());
  wt[TG_REASON_UNKNOWN_RANGE] = static_cast<int16_t>(w.unknown_range());
  wt[TG_REASON_HIGH_RATE] = static_cast<int16_t>(w.high_rate());
  wt[TG_REASON_OFF_HOURS] = static_cast<int16_t>(w.off_hours());
  wt[TG_REASON_NIGHT] = static_cast<int16_t>(w.night());
  wt[TG_REASON_WEEKEND] = static_cast<int16_t>(w.weekend());
  wt[TG_REASON_HOLIDAY] = static_cast<int16_t>(w.holiday());
  wt[TG_REASON_RATE_1M] = static_cast<int16_t>(w.rate_1m());
  wt[TG_REASON_RATE_10M] = static_cast<int16_t>(w.rate_10m());
  wt[TG_REASON_RATE_1H] = static_cast<int16_t>(w.rate_1h());
  wt[TG_REASON_RATE_24H] = static_cast<int16_t>(w.rate_24h());
  wt[TG_REASON_INTL_RATE] = static_cast<int16_t>(w.intl_rate());
  wt[TG_REASON_HIGH_RISK_RATE] = static_cast<int16_t>(w.high_risk_rate());
  wt[TG_REASON_CONCURRENCY] = static_cast<int16_t>(w.concurrency());
  wt[TG_REASON_SPEND_HOUR] = static_cast<int16_t>(w.spend_hour());
  wt[TG_REASON_SPEND_DAY] = static_cast<int16_t>(w.spend_day());
  wt[TG_REASON_SWEEP] = static_cast<int16_t>(w.sweep());
  wt[TG_REASON_RANGE_FANOUT] = static_cast<int16_t>(w.range_fanout());
  wt[TG_REASON_REPEAT_NUMBER] = static_cast<int16_t>(w.repeat_number());
  wt[TG_REASON_NEW_DESTINATION] = static_cast<int16_t>(w.new_destination());
  wt[TG_REASON_NEW_COUNTRY] = static_cast<int16_t>(w.new_country());
  wt[TG_REASON_NEW_ACCOUNT] = static_cast<int16_t>(w.new_account());
  wt[TG_REASON_UNUSUAL_VOLUME] = static_cast<int16_t>(w.unusual_volume());
  wt[TG_REASON_REPEATED_ALERTS] = static_cast<int16_t>(w.repeated_alerts());
  out->international_points = static_cast<int16_t>(w.international());
  const Thresholds& t = p.thresholds();
  const auto* ttree = loc.Nested(tree, p, "thresholds");
  const google::protobuf::Descriptor* tdesc = t.GetDescriptor();
  const google::protobuf::Reflection* trefl = t.GetReflection();
  for (int i = 0; i < tdesc->field_count(); ++i) {
    const auto* fd = tdesc->field(i);
    const double v = fd->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE ? trefl->GetDouble(t, fd)
                                                                                        : trefl->GetInt32(t, fd);
    if (!(v >= 0) || v > 1e9) return loc.Fail(err, ttree, t, fd->name(), -1, absl::StrCat(fd->name(), " must be >= 0"));
  }
  out->attempts_1m = static_cast<float>(t.attempts_1m());
  out->attempts_10m = static_cast<float>(t.attempts_10m());
  out->attempts_1h = static_cast<float>(t.attempts_1h());
  out->attempts_24h = static_cast<float>(t.attempts_24h());
  out->intl_attempts_1h = static_cast<float>(t.intl_attempts_1h());
  out->high_risk_attempts_1h = static_cast<float>(t.high_risk_attempts_1h());
  out->concurrent_calls = t.concurrent_calls();
  out->concurrent_intl_calls = t.concurrent_intl_calls();
  out->sweep_length = t.sweep_length();
  out->range_fanout = t.range_fanout();
  out->repeat_number = t.repeat_number();
  out->new_account_days = t.new_account_days();
  out->learn_min_days = std::max(1, t.learn_min_days());
  out->unusual_volume_factor = static_cast<float>(t.unusual_volume_factor());
  out->baseline_multiplier = static_cast<float>(t.baseline_multiplier());
  out->repeated_alerts = static_cast<float>(t.repeated_alerts());
  out->new_country_off_hours = static_cast<int16_t>(w.new_country_off_hours());
  const Budget& b = p.budget();
  const auto* btree = loc.Nested(tree, p, "budget");
  if (!(b.spend_per_hour() >= 0) || b.spend_per_hour() > 1e9) return loc.Fail(err, btree, b, "spend_per_hour", -1, "spend_per_hour must be >= 0");
  if (!(b.spend_per_day() >= 0) || b.spend_per_day() > 1e9) return loc.Fail(err, btree, b, "spend_per_day", -1, "spend_per_day must be >= 0");
  if (!(b.max_call_cost() >= 0) || b.max_call_cost() > 1e9) return loc.Fail(err, btree, b, "max_call_cost", -1, "max_call_cost must be >= 0");
  if (b.max_call_duration_s() < 0) return loc.Fail(err, btree, b, "max_call_duration_s", -1, "max_call_duration_s must be >= 0");
  out->spend_hour_micros = static_cast<int64_t>(std::llround(b.spend_per_hour() * 1e6));
  out->spend_day_micros = static_cast<int64_t>(std::llround(b.spend_per_day() * 1e6));
  out->max_call_cost_micros = static_cast<int64_t>(std::llround(b.max_call_cost() * 1e6));
  out->max_call_duration_s = b.max_call_duration_s();
  if (b.alert_max_duration_s() < 0) return loc.Fail(err, btree, b, "alert_max_duration_s", -1, "alert_max_duration_s must be >= 0");
  out->alert_max_duration_s = b.alert_max_duration_s();
  return true;
}

// The `cluster` section (docs/CLUSTER.md): absent or without redis_address, the engine stands alone.
bool CompileCluster(const Policy& pol, const Locator& loc, ClusterConfig* out, LoadError* err) {
  if (!pol.has_cluster()) return true;
  const Cluster& c = pol.cluster();
  const auto* ctree = loc.Nested(loc.root(), pol, "cluster");
  auto fail = [&](std::string_view field, absl::string_view message) {
    return loc.Fail(err, ctree, c, field, -1, message);
  };
  if (c.redis_address().empty()) {
    if (!c.node_id().empty() || !c.key_prefix().empty() || c.sync_interval_ms() != 0) {
      return loc.Fail(err, loc.root(), pol, "cluster", -1, "cluster needs a redis_address");
    }
    return true;
  }
  ClusterConfig cc;
  cc.enabled = true;
  const std::string& addr = c.redis_address();
  if (addr.rfind("unix:", 0) == 0 || addr[0] == '/') {
    cc.unix_path = addr[0] == '/' ? addr : addr.substr(5);
    if (cc.unix_path.empty() || cc.unix_path[0] != '/') {
      return fail("redis_address", "a unix socket address is an absolute path: \"unix:/run/redis.sock\"");
    }
  } else {
    const size_t colon = addr.rfind(':');
    cc.host = colon == std::string::npos ? addr : addr.substr(0, colon);
    if (colon != std::string::npos) {
      const std::string port = addr.substr(colon + 1);
      char* end = nullptr;
      const long v = std::strtol(port.c_str(), &end, 10);
      if (port.empty() || *end != 0 || v < 1 || v > 65535) {
        return fail("redis_address", absl::StrCat("bad port '", port, "' in redis_address: \"host:port\", 1..65535"));
      }
      cc.port = static_cast<int>(v);
    }
    if (cc.host.empty() || cc.host.find_first_of(" /") != std::string::npos) {
      return fail("redis_address", "redis_address is \"host:port\", \"host\" or \"unix:/path\"");
    }
  }
  if (c.has_tls()) {
    return fail("tls",
                "TLS to Redis needs hiredis_ssl (hiredis >= 1.0); Debian bookworm's libhiredis 0.14 has none: "
                "reach Redis over a unix socket, a TLS tunnel (stunnel, spiped) or a private network");
  }
  if (!c.key_prefix().empty()) {
    if (c.key_prefix().size() > 64 ||
        c.key_prefix().find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_-./") !=
            std::string::npos) {
      return fail("key_prefix", "key_prefix is at most 64 letters, digits or ':_-./'");
    }
    cc.key_prefix = c.key_prefix();
  }
  if (c.node_id().size() > 64 || c.node_id().find_first_of(" \t\r\n") != std::string::npos) {
    return fail("node_id", "node_id is at most 64 characters without spaces");
  }
  cc.node_id = c.node_id();
  if (c.sync_interval_ms() != 0) {
    if (c.sync_interval_ms() < 10 || c.sync_interval_ms() > 1000) {
      return fail("sync_interval_ms", "sync_interval_ms must be 10..1000");
    }
    cc.sync_interval_ms = c.sync_interval_ms();
  }
  if (c.live_call_ttl_s() != 0) cc.live_call_ttl_s = c.live_call_ttl_s();
  if (cc.live_call_ttl_s > 86400 || static_cast<uint64_t>(cc.live_call_ttl_s) * 1000 < 3ull * cc.sync_interval_ms) {
    return fail("live_call_ttl_s", "live_call_ttl_s must be at least 3 sync intervals and at most 86400");
  }
  if (c.remote_accounts() != 0) {
    if (c.remote_accounts() > (1u << 24)) return fail("remote_accounts", "remote_accounts is at most 16777216");
    cc.remote_accounts = c.remote_accounts();
  }
  if (c.timeout_ms() != 0) {
    if (c.timeout_ms() < 10 || c.timeout_ms() > 60000) return fail("timeout_ms", "timeout_ms must be 10..60000");
    cc.timeout_ms = c.timeout_ms();
  }
  cc.username = c.username();
  cc.password = c.password();
  if (!c.password_env().empty()) {
    if (!c.password().empty()) return fail("password_env", "give password or password_env, not both");
    const char* v = std::getenv(c.password_env().c_str());
    if (v == nullptr) {
      return fail("password_env", absl::StrCat("environment variable ", c.password_env(), " is not set"));
    }
    cc.password = v;
  }
  if (!cc.username.empty() && cc.password.empty()) return fail("username", "username needs a password");
  *out = std::move(cc);
  return true;
}

bool BuildTable(const Policy& pol, const Locator& loc, const std::string& base_dir, const std::string& home,
                destination::PrefixTable* table, LoadError* err) {
  destination::TableBuilder builder;
  const Tables& tb = pol.tables();
  const auto* tbtree = loc.Nested(loc.root(), pol, "tables");
  if (!tb.no_default_table()) {
    absl::Status s = destination::LoadRangeCsv(EmbeddedDefaultTable(), "<embedded default table>", &builder);
    if (!s.ok()) {
      err->status = absl::InternalError(s.message());
      return false;
    }
  }
  auto load_file = [&](const std::string& field, const std::string& rel, auto loader) -> bool {
    const std::string path = Resolve(base_dir, rel);
    std::string text;
    absl::Status s = ReadFile(path, &text);
    if (s.ok()) s = loader(text, path, &builder);
    if (!s.ok()) {
      loc.Fail(err, tbtree, tb, field, -1, absl::StrCat(field, ": ", s.message()));
      return false;
    }
    return true;
  };
  if (!tb.rate_deck().empty() && !load_file("rate_deck", tb.rate_deck(), destination::LoadRateDeckCsv)) return false;
  if (!tb.overrides().empty() && !load_file("overrides", tb.overrides(), destination::LoadOverridesCsv)) return false;
  for (int i = 0; i < tb.override_size(); ++i) {
    const Override& o = tb.override(i);
    const auto* otree = loc.Nested(tbtree, tb, "override", i);
    if (o.prefix().empty() || o.prefix().size() > 15 ||
        !std::all_of(o.prefix().begin(), o.prefix().end(), [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
      return loc.Fail(err, otree, o, "prefix", -1, "prefix must be 1..15 digits (E.164, no '+')");
    }
    if (o.set_tier() && (o.risk_tier() < 0 || o.risk_tier() > 3)) return loc.Fail(err, otree, o, "risk_tier", -1, "risk_tier must be 0..3");
    if (!(o.rate() >= 0) || o.rate() > 1000) return loc.Fail(err, otree, o, "rate", -1, "rate must be 0..1000 per minute");
    const uint8_t action = o.action() == ALLOW ? 1 : o.action() == ALERT ? 2 : o.action() == BLOCK ? 3 : 0;
    builder.AddOverride(o.prefix(), action, o.set_tier() ? o.risk_tier() : -1, o.rate());
  }
  // Risk rules.
  const Risk& r = pol.risk();
  const auto* rtree = loc.Nested(loc.root(), pol, "risk");
  destination::RiskRules rules;
  rules.home_region = home;
  for (int i = 0; i < r.high_risk_countries_size(); ++i) {
    const std::string& c = r.high_risk_countries(i);
    if (c.size() != 2 || !absl::ascii_isupper(static_cast<unsigned char>(c[0])) || !absl::ascii_isupper(static_cast<unsigned char>(c[1]))) {
      return loc.Fail(err, rtree, r, "high_risk_countries", i, absl::StrCat("'", c, "' is not an ISO 3166 alpha-2 code"));
    }
    rules.high_risk.insert(c);
  }
  auto tier_ok = [](int t) { return t >= 0 && t <= 3; };
  if (!tier_ok(r.high_risk_tier())) return loc.Fail(err, rtree, r, "high_risk_tier", -1, "tiers are 0..3");
  if (!tier_ok(r.intl_network_tier())) return loc.Fail(err, rtree, r, "intl_network_tier", -1, "tiers are 0..3");
  if (!tier_ok(r.unknown_range_tier())) return loc.Fail(err, rtree, r, "unknown_range_tier", -1, "tiers are 0..3");
  rules.high_risk_tier = static_cast<uint8_t>(r.high_risk_tier());
  rules.intl_network_tier = static_cast<uint8_t>(r.intl_network_tier());
  rules.unknown_range_tier = static_cast<uint8_t>(r.unknown_range_tier());
  for (const std::string& code : r.intl_network_codes()) rules.intl_network_codes.push_back(code);
  if (!(r.high_risk_rate_multiplier() >= 0) || r.high_risk_rate_multiplier() > 100) {  // also NaN
    return loc.Fail(err, rtree, r, "high_risk_rate_multiplier", -1, "high_risk_rate_multiplier must be 0..100");
  }
  rules.high_risk_rate_multiplier = r.high_risk_rate_multiplier() > 0 ? r.high_risk_rate_multiplier() : 1.0;
  // Defaults for types the policy does not list: tier 1 international, 0 domestic, no rate estimate.
  rules.intl_tier.fill(1);
  rules.domestic_tier.fill(0);
  for (int i = 0; i < r.types_size(); ++i) {
    const TypeRisk& tr = r.types(i);
    const auto* trtree = loc.Nested(rtree, r, "types", i);
    const int type = destination::NumberTypeFromName(tr.type());
    if (type < 0) return loc.Fail(err, trtree, tr, "type", -1, absl::StrCat("unknown number type '", tr.type(), "'"));
    if (!tier_ok(tr.tier())) return loc.Fail(err, trtree, tr, "tier", -1, "tiers are 0..3");
    if (!tier_ok(tr.domestic_tier())) return loc.Fail(err, trtree, tr, "domestic_tier", -1, "tiers are 0..3");
    if (!(tr.international_rate() >= 0) || !(tr.domestic_rate() >= 0) || tr.international_rate() > 1000 || tr.domestic_rate() > 1000) {
      return loc.Fail(err, trtree, tr, "international_rate", -1, "rates must be 0..1000 per minute");
    }
    const int idx = destination::TypeIndex(static_cast<uint8_t>(type));
    rules.intl_tier[idx] = static_cast<uint8_t>(tr.tier());
    rules.domestic_tier[idx] = static_cast<uint8_t>(tr.domestic_tier());
    rules.intl_rate[idx] = tr.international_rate();
    rules.domestic_rate[idx] = tr.domestic_rate();
  }
  auto built = builder.Build(rules);
  if (!built.ok()) {
    loc.Fail(err, loc.root(), pol, "tables", -1, built.status().message());
    return false;
  }
  *table = *std::move(built);
  return true;
}

// The parse tree of the user's profile named `name`, for error locations; nullptr when the user's file
// does not define it.
const TextFormat::ParseInfoTree* ProfileTree(const Locator& loc, const Policy* user, const std::string& name) {
  if (user == nullptr) return nullptr;
  for (int j = 0; j < user->profiles_size(); ++j) {
    if (user->profiles(j).name() == name) return loc.Nested(loc.root(), *user, "profiles", j);
  }
  return nullptr;
}

// `pol` is the effective policy; `user` the file as written (its parse tree is the Locator's), or nullptr.
std::unique_ptr<PolicySnapshot> Compile(const Policy& pol, const Policy* user, const Locator& loc,
                                        const LoadOptions& opt, LoadError* err) {
  auto snap = std::make_unique<PolicySnapshot>();
  snap->name = pol.name();
  snap->source = loc.file();
  const auto* root = loc.root();
  // Home country and dial plan.
  std::string home = !opt.home_country.empty() ? opt.home_country : pol.home_country();
  if (home.empty()) home = "JP";
  home = absl::AsciiStrToUpper(home);
  auto plan = number::MakeDialPlan(home, pol.outside_line(), pol.local_area_code());
  if (!plan.ok()) {
    // Blame the country (the option or the file's field) only when the country alone is bad; otherwise
    // the file's outside_line / local_area_code, at its line.
    if (!number::MakeDialPlan(home).ok()) {
      if (!opt.home_country.empty()) {
        err->status = absl::InvalidArgumentError(absl::StrCat("home_country option: ", plan.status().message()));
      } else {
        loc.Fail(err, root, pol, "home_country", -1, plan.status().message());
      }
      return nullptr;
    }
    const bool outside_bad = !number::MakeDialPlan(home, pol.outside_line()).ok();
    loc.Fail(err, root, pol, outside_bad ? "outside_line" : "local_area_code", -1, plan.status().message());
    return nullptr;
  }
  snap->dial_plan = *plan;
  // Zones: [0] the engine's default, then one per account binding that names a zone.
  const std::string tz = !opt.timezone.empty() ? opt.timezone : pol.timezone().empty() ? "UTC" : pol.timezone();
  auto zone = time::ZoneOffsets::Load(tz);
  if (!zone.ok()) {
    if (!opt.timezone.empty()) {
      err->status = absl::InvalidArgumentError(absl::StrCat("timezone option: ", zone.status().message()));
      return nullptr;
    }
    loc.Fail(err, root, pol, "timezone", -1, zone.status().message());
    return nullptr;
  }
  snap->zones.push_back(*std::move(zone));
  // Holidays.
  std::vector<std::string> extra(pol.holidays().begin(), pol.holidays().end());
  for (int i = 0; i < pol.holidays_size(); ++i) {
    auto d = time::ParseCivilDate(pol.holidays(i));
    if (!d.ok()) {
      loc.Fail(err, root, pol, "holidays", i, d.status().message());
      return nullptr;
    }
  }
  auto cal = time::HolidayCalendar::ForCountry(home, extra);
  if (!cal.ok()) {
    loc.Fail(err, root, pol, "holidays", 0, cal.status().message());
    return nullptr;
  }
  snap->holidays = *std::move(cal);
  if (!(pol.risk().high_rate() >= 0) || pol.risk().high_rate() > 4000) {  // also NaN
    loc.Fail(err, loc.Nested(root, pol, "risk"), pol.risk(), "high_rate", -1, "high_rate must be 0..4000 per minute");
    return nullptr;
  }
  const uint32_t high_rate_micros = static_cast<uint32_t>(pol.risk().high_rate() * 1e6);
  // Profiles: "default" first; others merged over it. Names are checked in the file as written.
  if (user != nullptr) {
    absl::flat_hash_map<std::string, int> seen;
    for (int j = 0; j < user->profiles_size(); ++j) {
      const Profile& up = user->profiles(j);
      const auto* utree = loc.Nested(root, *user, "profiles", j);
      if (up.name().empty()) {
        loc.Fail(err, root, *user, "profiles", j, "a profile needs a name");
        return nullptr;
      }
      if (!seen.emplace(up.name(), j).second) {
        loc.Fail(err, utree, up, "name", -1, absl::StrCat("profile '", up.name(), "' is defined twice"));
        return nullptr;
      }
    }
  }
  int default_index = -1;
  for (int i = 0; i < pol.profiles_size(); ++i) {
    if (pol.profiles(i).name() == "default") default_index = i;
  }
  Profile base;
  if (default_index >= 0) base = pol.profiles(default_index);
  base.set_name("default");
  snap->profiles.emplace_back();
  if (!CompileProfile(base, loc, ProfileTree(loc, user, "default"), &snap->profiles[0], err)) {
    return nullptr;
  }
  absl::flat_hash_map<std::string, uint16_t> profile_index{{"default", 0}};
  for (int i = 0; i < pol.profiles_size(); ++i) {
    const Profile& p = pol.profiles(i);
    if (i == default_index || profile_index.contains(p.name())) continue;
    Profile merged = base;
    const auto* ptree = ProfileTree(loc, user, p.name());
    Overlay(p, ptree, &merged);
    snap->profiles.emplace_back();
    if (!CompileProfile(merged, loc, ptree, &snap->profiles.back(), err)) return nullptr;
    profile_index[p.name()] = static_cast<uint16_t>(snap->profiles.size() - 1);
  }
  // Accounts.
  absl::flat_hash_map<std::string, uint16_t> zone_index{{tz, 0}};
  for (int i = 0; i < pol.accounts_size(); ++i) {
    const Account& a = pol.accounts(i);
    const auto* atree = loc.Nested(root, pol, "accounts", i);
    if (a.name().empty() == a.prefix().empty()) {
      loc.Fail(err, root, pol, "accounts", i, "an account binding needs exactly one of name or prefix");
      return nullptr;
    }
    AccountBinding b;
    if (!a.profile().empty()) {
      auto it = profile_index.find(a.profile());
      if (it == profile_index.end()) {
        loc.Fail(err, atree, a, "profile", -1, absl::StrCat("no profile named '", a.profile(), "'"));
        return nullptr;
      }
      b.profile = it->second;
    }
    if (!a.timezone().empty()) {
      auto it = zone_index.find(a.timezone());
      if (it == zone_index.end()) {
        auto z = time::ZoneOffsets::Load(a.timezone());
        if (!z.ok()) {
          loc.Fail(err, atree, a, "timezone", -1, z.status().message());
          return nullptr;
        }
        snap->zones.push_back(*std::move(z));
        it = zone_index.emplace(a.timezone(), static_cast<uint16_t>(snap->zones.size() - 1)).first;
      }
      b.zone = it->second;
    }
    if (!a.name().empty()) {
      snap->exact_accounts[a.name()] = b;
    } else {
      snap->prefix_accounts.emplace_back(a.prefix(), b);
    }
  }
  for (auto& prof : snap->profiles) prof.high_rate_micros = high_rate_micros;
  std::stable_sort(snap->prefix_accounts.begin(), snap->prefix_accounts.end(),
                   [](const auto& x, const auto& y) { return x.first.size() > y.first.size(); });
  // Limits and options.
  snap->max_accounts = pol.limits().max_accounts() ? pol.limits().max_accounts() : 200000;
  snap->max_live_calls = pol.limits().max_live_calls() ? pol.limits().max_live_calls() : 100000;
  snap->idle_days = pol.limits().idle_days() ? pol.limits().idle_days() : 35;
  snap->max_call_hours = pol.limits().max_call_hours() ? pol.limits().max_call_hours() : 12;
  snap->preallocate_accounts = pol.limits().preallocate_accounts();
  snap->state_fail_closed = pol.state().fail_closed();
  if (pol.tenant_separator().size() > 4) {
    loc.Fail(err, root, pol, "tenant_separator", -1, "tenant_separator is at most 4 characters");
    return nullptr;
  }
  snap->tenant_separators = pol.tenant_separator();
  snap->malformed_action = ActionOf(pol.invalid_numbers().malformed(), TG_ACTION_ALERT);
  snap->short_code_action = ActionOf(pol.invalid_numbers().short_code(), TG_ACTION_ALLOW);
  if (!CompileCluster(pol, loc, &snap->cluster, err)) return nullptr;
  // Table last: the slowest part.
  const std::string base_dir = opt.policy_path.empty() ? "." : Dirname(opt.policy_path);
  if (!BuildTable(pol, loc, base_dir, home, &snap->table, err)) return nullptr;
  return snap;
}

}  // namespace

absl::Status ReadFile(const std::string& path, std::string* out) {
  // POSIX read straight into the string: a 30 MB rate deck was copied twice through an ostringstream, and
  // a directory was read as an empty file (an empty policy overlay).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    return absl::NotFoundError(absl::StrCat("cannot open ", path, ": ", std::strerror(e)));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return absl::NotFoundError(absl::StrCat("cannot open ", path, ": it is a directory"));
  }
  out->clear();
  if (S_ISREG(st.st_mode)) out->reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      ::close(fd);
      return absl::DataLossError(absl::StrCat("cannot read ", path, ": ", std::strerror(e)));
    }
    out->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return absl::OkStatus();
}

std::unique_ptr<PolicySnapshot> LoadPolicy(const LoadOptions& options, LoadError* error) {
  std::string text;
  std::string file = kEmbeddedName;
  if (!options.policy_path.empty()) {
    file = options.policy_path;
    absl::Status s = ReadFile(options.policy_path, &text);
    if (!s.ok()) {
      error->status = s;
      return nullptr;
    }
  } else {
    text = std::string(EmbeddedDefaultPolicy());
  }
  Policy user;
  TextFormat::ParseInfoTree tree;
  if (!Parse(text, file, &user, &tree, error)) return nullptr;
  Locator loc(file, &tree);
  if (options.policy_path.empty() || user.no_defaults()) return Compile(user, &user, loc, options, error);
  Policy pol;
  TextFormat::ParseInfoTree default_tree;
  LoadError default_error;
  if (!Parse(EmbeddedDefaultPolicy(), kEmbeddedName, &pol, &default_tree, &default_error)) {
    error->status = absl::InternalError(default_error.status.message());
    return nullptr;
  }
  Overlay(user, &tree, &pol);
  return Compile(pol, &user, loc, options, error);
}

}  // namespace tollguard::policy
