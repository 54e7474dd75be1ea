// Envelope encoding and strict decoding.
#include "hub/wire/envelope.hpp"

#include <fmt/format.h>

#include "hub/common/ulid.hpp"
#include "hub/wire/msgpack_map.hpp"

namespace hub::wire {

namespace {
// An empty msgpack map: fixmap with 0 entries.
constexpr std::string_view kEmptyMap("\x80", 1);

bool IsPrintableAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}
}  // namespace

std::string EncodeEnvelope(const Envelope& e) {
  MapWriter w;
  w.Str("id", e.id)
      .Str("type", e.type)
      .Uint("v", e.v)
      .Str("source", e.source)
      .Int("ts", e.ts)
      .Str("corr", e.corr)
      .Raw("body", e.body.empty() ? kEmptyMap : std::string_view(e.body));
  return w.Finish();
}

Result<Envelope> DecodeEnvelope(std::string_view bytes, std::size_t max_bytes) {
  if (bytes.size() > max_bytes) {
    return Status::InvalidArgument(
        fmt::format("message is {} bytes, over the limit of {} bytes", bytes.size(), max_bytes),
        "envelope");
  }
  HUB_ASSIGN_OR_RETURN(Document doc, Document::Parse(bytes, "envelope"));
  auto reader = MapReader::Of(doc.root(), "");
  if (!reader.ok()) {
    return Status::InvalidArgument("the envelope must be a msgpack map: " + reader.status().message(),
                                   "envelope");
  }
  const MapReader& r = *reader;
  Envelope e;
  std::uint64_t v = 0;
  HUB_RETURN_IF_ERROR(r.Str("id", &e.id));
  HUB_RETURN_IF_ERROR(r.Str("type", &e.type));
  HUB_RETURN_IF_ERROR(r.Uint("v", &v));
  HUB_RETURN_IF_ERROR(r.Str("source", &e.source));
  HUB_RETURN_IF_ERROR(r.Int("ts", &e.ts));
  HUB_RETURN_IF_ERROR(r.StrOr("corr", &e.corr));
  MapReader body = r;
  HUB_RETURN_IF_ERROR(r.Map("body", &body));
  HUB_RETURN_IF_ERROR(r.Raw("body", &e.body));

  if (e.id.empty()) return r.Invalid("id", "must not be empty");
  if (e.id.size() > kMaxIdBytes || !IsPrintableAscii(e.id)) {
    return r.Invalid("id", fmt::format("must be 1..{} printable ASCII characters", kMaxIdBytes));
  }
  if (e.type.empty()) return r.Invalid("type", "must not be empty");
  if (e.type.size() > kMaxTypeBytes || !IsPrintableAscii(e.type)) {
    return r.Invalid("type", fmt::format("must be 1..{} printable ASCII characters", kMaxTypeBytes));
  }
  if (v == 0 || v > 0xffffffffu) return r.Invalid("v", "schema version must be 1 or more");
  e.v = static_cast<std::uint32_t>(v);
  if (e.source.empty()) return r.Invalid("source", "must not be empty");
  if (e.corr.size() > kMaxIdBytes) return r.Invalid("corr", "is too long");
  return e;
}

Envelope MakeEnvelope(std::string type, std::string source, std::int64_t ts_ms, std::string body,
                      std::string corr, std::uint32_t v) {
  Envelope e;
  e.id = NewUlid();
  e.type = std::move(type);
  e.v = v;
  e.source = std::move(source);
  e.ts = ts_ms;
  e.corr = std::move(corr);
  e.body = std::move(body);
  return e;
}

}  // namespace hub::wire
