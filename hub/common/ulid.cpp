// ULID generation: timestamp from the injected clock, randomness from libsodium.
#include "hub/common/ulid.hpp"

#include <sodium.h>

namespace hub {
namespace {
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int DecodeChar(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  (void)ok;
}
}  // namespace

UlidGenerator::UlidGenerator(const Clock& clock) : clock_(clock) { EnsureSodium(); }

std::string UlidGenerator::Next() {
  std::array<std::uint8_t, 16> bytes{};
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::int64_t ms = clock_.NowMs();
    if (ms <= last_ms_) {
      // Same (or earlier) millisecond: keep order by incrementing the 80-bit random part.
      ms = last_ms_;
      for (int i = 9; i >= 0; --i) {
        if (++random_[i] != 0) break;
      }
    } else {
      randombytes_buf(random_.data(), random_.size());
      last_ms_ = ms;
    }
    auto t = static_cast<std::uint64_t>(ms);
    for (int i = 5; i >= 0; --i) {
      bytes[i] = static_cast<std::uint8_t>(t & 0xff);
      t >>= 8;
    }
    for (int i = 0; i < 10; ++i) bytes[6 + i] = random_[i];
  }
  // 128 bits -> 26 base32 digits, most significant first (the first digit carries 3 bits).
  std::string out(26, '0');
  unsigned __int128 v = 0;
  for (auto b : bytes) v = (v << 8) | b;
  for (int i = 25; i >= 0; --i) {
    out[i] = kAlphabet[static_cast<int>(v & 31)];
    v >>= 5;
  }
  return out;
}

std::string NewUlid() {
  static UlidGenerator generator(SystemClock::Instance());
  return generator.Next();
}

bool IsUlid(std::string_view s) {
  if (s.size() != 26) return false;
  if (DecodeChar(s[0]) < 0 || DecodeChar(s[0]) > 7) return false;
  for (char c : s) {
    if (DecodeChar(c) < 0) return false;
  }
  return true;
}

std::int64_t UlidTimeMs(std::string_view ulid) {
  std::uint64_t t = 0;
  for (int i = 0; i < 10 && i < static_cast<int>(ulid.size()); ++i) {
    t = (t << 5) | static_cast<std::uint64_t>(DecodeChar(ulid[i]) & 31);
  }
  return static_cast<std::int64_t>(t);
}

}  // namespace hub
