// Lexing of dialed strings and sip:/sips:/tel: URIs into digits (first stage of Normalize).
// Hot path: string_view slicing and one pass over the bytes; no allocation, no locale, no exceptions.
#include "lib/number/dialed_string.h"

#include <cstring>

namespace tollguard::number::internal {
namespace {

constexpr int kCapacity = TG_MAX_DIALED_LEN;

constexpr bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// Visual separators people and PBXs put into numbers (RFC 3966 has - . ( ); we also take blanks and '/').
constexpr bool IsSeparator(unsigned char c) {
  return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}

constexpr int HexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr unsigned char AsciiLower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c; }

// ASCII case-insensitive; `lower` is lower case.
bool StartsWithNoCase(std::string_view s, std::string_view lower) {
  if (s.size() < lower.size()) return false;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (AsciiLower(static_cast<unsigned char>(s[i])) != static_cast<unsigned char>(lower[i])) return false;
  }
  return true;
}

bool EqualsNoCase(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && StartsWithNoCase(s, lower);
}

std::string_view CutAt(std::string_view s, char c) {
  size_t pos = s.find(c);
  return pos == std::string_view::npos ? s : s.substr(0, pos);
}

// Appends the digits of `s` to buf[*len, cap). `percent` decodes %XX first (URI user parts); a decoded
// byte is judged like a literal one. '+' is allowed once, before the first digit, and sets *plus.
tg_status ScanNumber(std::string_view s, bool percent, char* buf, int cap, int* len, bool* plus) {
  bool plus_allowed = !*plus && *len == 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (percent && c == '%') {
      if (s.size() - i < 3) return TG_E_NUMBER_CHARS;
      int hi = HexValue(static_cast<unsigned char>(s[i + 1]));
      int lo = HexValue(static_cast<unsigned char>(s[i + 2]));
      if (hi < 0 || lo < 0) return TG_E_NUMBER_CHARS;
      c = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
    }
    if (IsDigit(c)) {
      if (*len >= cap) return TG_E_NUMBER_TOO_LONG;  // unreachable for inputs within TG_MAX_DIALED_LEN
      buf[(*len)++] = static_cast<char>(c);
      plus_allowed = false;
    } else if (IsSeparator(c)) {
      continue;
    } else if (c == '+' && plus_allowed) {
      *plus = true;
      plus_allowed = false;
    } else {
      return TG_E_NUMBER_CHARS;
    }
  }
  return TG_OK;
}

// RFC 3966 5.1.5: a local number with ";phone-context=+<global number digits>" is that context followed
// by the local number. The first phone-context parameter counts; a domain-name context is ignored.
void ApplyPhoneContext(std::string_view params, DialedDigits* out) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = params.substr(0, semi);
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    size_t eq = param.find('=');
    if (eq == std::string_view::npos || !EqualsNoCase(param.substr(0, eq), "phone-context")) continue;
    char context[kCapacity];
    int n = 0;
    bool plus = false;
    if (ScanNumber(param.substr(eq + 1), /*percent=*/true, context, kCapacity, &n, &plus) != TG_OK || !plus ||
        n == 0) {
      return;  // a domain name ("example.com") or a malformed context: the dial plan decides
    }
    if (n + out->len > kCapacity) return;  // unreachable: the digits come from disjoint input bytes
    std::memmove(out->digits + n, out->digits, static_cast<size_t>(out->len));
    std::memcpy(out->digits, context, static_cast<size_t>(n));
    out->len += n;
    out->global = true;
    return;
  }
}

}  // namespace

tg_status LexDialed(std::string_view dialed, DialedDigits* out) {
  out->len = 0;
  out->global = false;
  if (dialed.size() > TG_MAX_DIALED_LEN) return TG_E_NUMBER_TOO_LONG;

  std::string_view s = dialed;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);

  bool uri = true;
  bool sip = false;
  std::string_view body;
  if (StartsWithNoCase(s, "sip:")) {
    body = s.substr(4);
    sip = true;
  } else if (StartsWithNoCase(s, "sips:")) {
    body = s.substr(5);
    sip = true;
  } else if (StartsWithNoCase(s, "tel:")) {
    body = s.substr(4);
  } else {
    uri = false;
  }

  std::string_view number = s;
  std::string_view params;
  if (uri) {
    body = CutAt(body, '?');              // headers
    if (sip) body = CutAt(body, '@');     // user part; host, port and URI parameters go
    size_t semi = body.find(';');
    number = body.substr(0, semi);
    if (semi != std::string_view::npos) params = body.substr(semi + 1);
  }

  bool plus = false;
  tg_status status = ScanNumber(number, /*percent=*/uri, out->digits, kCapacity, &out->len, &plus);
  if (status != TG_OK) {
    out->len = 0;
    return status;
  }
  if (out->len == 0) return TG_E_NUMBER_EMPTY;
  out->global = plus;
  if (uri && !plus) ApplyPhoneContext(params, out);
  return TG_OK;
}

}  // namespace tollguard::number::internal
