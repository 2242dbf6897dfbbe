#include "lib/signals/history.h"

#include <algorithm>
#include <cstring>

namespace tollguard::signals {
namespace {

uint32_t Fnv(std::string_view s, uint32_t seed) {
  uint32_t h = 2166136261u ^ seed;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;
  return h ? h : 1;
}

// Two bit positions of a key in a Bloom filter of `bits` bits.
template <size_t N>
bool BloomTest(const uint64_t (&words)[N], uint32_t key) {
  constexpr uint32_t bits = N * 64;
  const uint32_t a = key % bits, b = (key >> 16) % bits;
  return ((words[a / 64] >> (a % 64)) & 1) && ((words[b / 64] >> (b % 64)) & 1);
}
template <size_t N>
void BloomSet(uint64_t (&words)[N], uint32_t key) {
  constexpr uint32_t bits = N * 64;
  const uint32_t a = key % bits, b = (key >> 16) % bits;
  words[a / 64] |= 1ull << (a % 64);
  words[b / 64] |= 1ull << (b % 64);
}

constexpr uint16_t kDayGapHours = 16;

void LearnOne(state::AccountRecord& r, uint32_t key, bool country, int64_t hour, int min_days) {
  if (key == 0) return;
  if (country ? IsKnownCountry(r, key) : IsKnownRange(r, key)) return;
  const uint16_t h16 = static_cast<uint16_t>(hour);
  state::Learning* slot = nullptr;
  state::Learning* table = country ? r.learning_countries : r.learning_ranges;
  const int n = country ? state::kLearningCountries : state::kLearningRanges;
  for (int i = 0; i < n && slot == nullptr; ++i) {
    if (table[i].key == key) slot = &table[i];
  }
  if (!slot) {
    // Replace the empty entry, else the one with the fewest days, oldest first.
    state::Learning* victim = &table[0];
    for (int i = 1; i < n && victim->key != 0; ++i) {
      const state::Learning& l = table[i];
      if (l.key == 0 || l.days < victim->days ||
          (l.days == victim->days &&
           static_cast<uint16_t>(h16 - l.last_hour) > static_cast<uint16_t>(h16 - victim->last_hour))) {
        victim = &table[i];
      }
    }
    slot = victim;
    *slot = state::Learning{key, h16, 0, 0};
  }
  if (slot->calls < 255) ++slot->calls;
  if (slot->days == 0 || static_cast<uint16_t>(h16 - slot->last_hour) >= kDayGapHours) {
    slot->last_hour = h16;
    ++slot->days;
  }
  if (slot->days >= min_days) {
    if (country) BloomSet(r.known_countries, key); else BloomSet(r.known_ranges, key);
    *slot = state::Learning{};
  }
}

}  // namespace

DestinationKeys KeysFor(std::string_view e164, int cc_len, std::string_view region) {
  DestinationKeys k;
  const size_t range_len = std::min<size_t>(e164.size(), static_cast<size_t>(cc_len) + 3);
  k.range = Fnv(e164.substr(0, range_len), 0x52414e47u);
  // Non-geographic codes and unknown regions are told apart by their country code.
  if (region.size() == 2) {
    k.country = Fnv(region, 0x43545259u);
  } else {
    k.country = Fnv(e164.substr(0, static_cast<size_t>(cc_len)), 0x4e4f4e47u);
  }
  return k;
}

bool IsKnownRange(const state::AccountRecord& r, uint32_t range_key) { return BloomTest(r.known_ranges, range_key); }
bool IsKnownCountry(const state::AccountRecord& r, uint32_t country_key) {
  return BloomTest(r.known_countries, country_key);
}

void LearnAnswered(state::AccountRecord& r, const DestinationKeys& k, int64_t unix_hour, int min_days) {
  LearnOne(r, k.range, false, unix_hour, min_days);
  LearnOne(r, k.country, true, unix_hour, min_days);
}

float UsualAtHour(const state::AccountRecord& r, int hour_of_week) {
  const uint8_t byte = r.hour_of_week[hour_of_week / 2];
  const int v = (hour_of_week & 1) ? (byte >> 4) : (byte & 15);
  return static_cast<float>(v) * 0.5f;  // halved weekly: the counter settles near 2x the weekly count
}

void RecordHour(state::AccountRecord& r, int hour_of_week, int32_t day) {
  const uint16_t week = static_cast<uint16_t>((day + 3) / 7);  // weeks start on Monday (1970-01-05)
  if (week != r.hour_week) {
    const int weeks = std::min<int>(static_cast<uint16_t>(week - r.hour_week), 4);
    // Halve every 4-bit counter once per week elapsed, eight bytes (16 counters) at a time.
    static_assert(sizeof(r.hour_of_week) % 4 == 0, "whole 32-bit words");
    uint64_t nibble_mask = 0x0f0f0f0f0f0f0f0full >> weeks;
    nibble_mask = (nibble_mask & 0x0f0f0f0f0f0f0f0full) | ((nibble_mask << 4) & 0xf0f0f0f0f0f0f0f0ull);
    size_t i = 0;
    for (; i + 8 <= sizeof(r.hour_of_week); i += 8) {
      uint64_t w;
      std::memcpy(&w, r.hour_of_week + i, 8);
      w = (w >> weeks) & nibble_mask;
      std::memcpy(r.hour_of_week + i, &w, 8);
    }
    for (; i < sizeof(r.hour_of_week); ++i) {
      int lo = r.hour_of_week[i] & 15, hi = r.hour_of_week[i] >> 4;
      r.hour_of_week[i] = static_cast<uint8_t>((lo >> weeks) | ((hi >> weeks) << 4));
    }
    r.hour_week = week;
  }
  uint8_t& byte = r.hour_of_week[hour_of_week / 2];
  if (hour_of_week & 1) {
    if ((byte >> 4) < 15) byte = static_cast<uint8_t>(byte + 16);
  } else {
    if ((byte & 15) < 15) byte = static_cast<uint8_t>(byte + 1);
  }
}

void RecordActiveDay(state::AccountRecord& r, int32_t day) {
  const uint16_t d16 = static_cast<uint16_t>(day);
  if (r.active_days == 0 || r.last_active_day != d16) {
    r.last_active_day = d16;
    if (r.active_days < 65535) ++r.active_days;
  }
}

}  // namespace tollguard::signals
