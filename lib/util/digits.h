// Eight ASCII digits at a time (SWAR on a uint64_t): the check, the value and the nibble packing that the
// normalizer, the prefix table and the number patterns need on every call, without a loop per digit.
// Words are loaded little-endian with memcpy: the first digit of the string is the lowest byte.
// Thread-safety: pure functions.
#ifndef TOLLGUARD_LIB_UTIL_DIGITS_H_
#define TOLLGUARD_LIB_UTIL_DIGITS_H_

#include <cstdint>
#include <cstring>

namespace tollguard::util {

inline uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// True when all 8 bytes are '0'..'9'. After xor with '0' a digit byte is 0..9; adding 0x76 sets its top bit
// exactly when it was >= 10 (no carry leaves a byte below 0x80; a byte already >= 0x80 is caught by "| v").
inline bool EightDigits(uint64_t w) {
  const uint64_t v = w ^ 0x3030303030303030ull;
  return (((v + 0x7676767676767676ull) | v) & 0x8080808080808080ull) == 0;
}

// The value of 8 digits (REQUIRES EightDigits(w)): pairs, then quads, then the whole, one multiply each.
inline uint64_t EightDigitsValue(uint64_t w) {
  w = (w & 0x0F0F0F0F0F0F0F0Full) * 2561 >> 8;               // 10 * first + second, per byte pair
  w = (w & 0x00FF00FF00FF00FFull) * 6553601 >> 16;           // 100 * first + second, per 16-bit pair
  return (w & 0x0000FFFF0000FFFFull) * 42949672960001 >> 32;  // 10^4 * first + second
}

// The 8 digits as nibbles (digit + 1, so that 0 stays "no digit"), the first digit in the highest nibble
// of the 32-bit result (REQUIRES EightDigits(w)).
inline uint32_t EightDigitsNibbles(uint64_t w) {
  uint64_t x = __builtin_bswap64(w - 0x2F2F2F2F2F2F2F2Full);  // bytes 1..10, the first digit highest
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFull;                  // two nibbles per 16-bit lane
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFull;                  // four per 32-bit lane
  return static_cast<uint32_t>(x | (x >> 16));                 // eight
}

}  // namespace tollguard::util

#endif  // TOLLGUARD_LIB_UTIL_DIGITS_H_
