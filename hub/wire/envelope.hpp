// The envelope: the one msgpack frame that carries every hub message (DESIGN §2;
// grammar in docs/protocol.md). The body is kept as its encoded msgpack bytes so that routers
// and journals pass it through without decoding; typed bodies are decoded by schemas/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hub/common/status.hpp"

namespace hub::wire {

inline constexpr std::size_t kMaxIdBytes = 128;
inline constexpr std::size_t kMaxTypeBytes = 64;

struct Envelope {
  std::string id;      // globally unique (a ULID from our producers); the dedupe key
  std::string type;    // message type, e.g. "referral.received" (schemas/README.md)
  std::uint32_t v = 1; // schema version of body, >= 1
  std::string source;  // producing process, e.g. "adapter.ers"
  std::int64_t ts = 0; // producer's wall clock, ms since the Unix epoch, UTC
  std::string corr;    // id of the message that caused this one, or ""
  std::string body;    // encoded msgpack map; "" encodes as an empty map

  bool operator==(const Envelope&) const = default;
};

// Encodes the envelope as a msgpack map with keys in the order id,type,v,source,ts,corr,body.
// `body` must be an encoded msgpack map (or empty).
std::string EncodeEnvelope(const Envelope& envelope);

// Decodes and validates one envelope. Errors are InvalidArgument with the field named:
// not msgpack, not a map, a missing or mistyped key, an empty id/type/source, an id or type too
// long, v = 0, a body that is not a map, more than `max_bytes` in all.
Result<Envelope> DecodeEnvelope(std::string_view bytes, std::size_t max_bytes);

// A fresh envelope with a new ULID id and the given wall-clock time.
Envelope MakeEnvelope(std::string type, std::string source, std::int64_t ts_ms, std::string body,
                      std::string corr = "", std::uint32_t v = 1);

}  // namespace hub::wire
