// Strict msgpack map reading and writing.
#include "hub/wire/msgpack_map.hpp"

#include <fmt/format.h>

#include <limits>

namespace hub::wire {

namespace {
std::string_view TypeName(msgpack::type::object_type t) {
  switch (t) {
    case msgpack::type::NIL: return "nil";
    case msgpack::type::BOOLEAN: return "boolean";
    case msgpack::type::POSITIVE_INTEGER:
    case msgpack::type::NEGATIVE_INTEGER: return "integer";
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64: return "float";
    case msgpack::type::STR: return "string";
    case msgpack::type::BIN: return "binary";
    case msgpack::type::ARRAY: return "array";
    case msgpack::type::MAP: return "map";
    case msgpack::type::EXT: return "ext";
  }
  return "unknown";
}

// Limits handed to the unpacker so that a short hostile document cannot claim huge arrays.
msgpack::unpack_limit Limits(std::size_t bytes) {
  // No container can have more elements than there are bytes in the document.
  auto n = std::min<std::size_t>(bytes, std::numeric_limits<std::uint32_t>::max());
  return msgpack::unpack_limit(n, n, n, n, n, 64);
}
}  // namespace

Result<Document> Document::Parse(std::string_view bytes, std::string_view what) {
  if (bytes.size() > kMaxDocumentBytes) {
    return Status::InvalidArgument(fmt::format("{} is {} bytes, over the {} byte limit", what,
                                               bytes.size(), kMaxDocumentBytes));
  }
  if (bytes.empty()) return Status::InvalidArgument(fmt::format("{} is empty", what));
  Document doc;
  try {
    std::size_t offset = 0;
    doc.handle_ = msgpack::unpack(bytes.data(), bytes.size(), offset, nullptr, nullptr,
                                  Limits(bytes.size()));
    if (offset != bytes.size()) {
      return Status::InvalidArgument(
          fmt::format("{} has {} trailing bytes after the msgpack value", what, bytes.size() - offset));
    }
  } catch (const msgpack::insufficient_bytes&) {
    return Status::InvalidArgument(fmt::format("{} is truncated msgpack", what));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(fmt::format("{} is not valid msgpack: {}", what, e.what()));
  }
  return doc;
}

// ---------------------------------------------------------------- MapReader

Result<MapReader> MapReader::Of(const msgpack::object& obj, std::string path) {
  if (obj.type != msgpack::type::MAP) {
    return Status::InvalidArgument(
        fmt::format("expected a map, got {}", TypeName(obj.type)), path);
  }
  return MapReader(&obj, std::move(path));
}

std::string MapReader::KeyPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

const msgpack::object* MapReader::Find(std::string_view key) const {
  const auto& map = obj_->via.map;
  for (std::uint32_t i = 0; i < map.size; ++i) {
    const auto& k = map.ptr[i].key;
    if (k.type == msgpack::type::STR && std::string_view(k.via.str.ptr, k.via.str.size) == key) {
      const msgpack::object* v = &map.ptr[i].val;
      return v;
    }
  }
  return nullptr;
}

bool MapReader::Has(std::string_view key) const {
  const auto* v = Find(key);
  return v && v->type != msgpack::type::NIL;
}

Status MapReader::Missing(std::string_view key) const {
  return Status::InvalidArgument("required field is missing", KeyPath(key));
}

Status MapReader::WrongType(std::string_view key, std::string_view expected) const {
  const auto* v = Find(key);
  return Status::InvalidArgument(
      fmt::format("expected {}, got {}", expected, v ? TypeName(v->type) : "nothing"), KeyPath(key));
}

Status MapReader::Invalid(std::string_view key, std::string_view why) const {
  return Status::InvalidArgument(std::string(why), KeyPath(key));
}

Status MapReader::Str(std::string_view key, std::string* out) const {
  const auto* v = Find(key);
  if (!v || v->type == msgpack::type::NIL) return Missing(key);
  if (v->type != msgpack::type::STR) return WrongType(key, "a string");
  out->assign(v->via.str.ptr, v->via.str.size);
  return Status::Ok();
}

Status MapReader::OptStr(std::string_view key, std::optional<std::string>* out) const {
  const auto* v = Find(key);
  if (!v || v->type == msgpack::type::NIL) {
    out->reset();
    return Status::Ok();
  }
  if (v->type != msgpack::type::STR) return WrongType(key, "a string");
  out->emplace(v->via.str.ptr, v->via.str.size);
  return Status::Ok();
}

Status MapReader::StrOr(std::string_view key, std::string* out) const {
  std::optional<std::string> v;
  HUB_RETURN_IF_ERROR(OptStr(key, &v));
  *out = v.value_or("");
  return Status::Ok();
}

Status MapReader::Int(std::string_view key, std::int64_t* out) const {
  const auto* v = Find(key);
  if (!v || v->type == msgpack::type::NIL) return Missing(key);
  if (v->type == msgpack::type::NEGATIVE_INTEGER) {
    *out = v->via.i64;
    return Status::Ok();
  }
  if (v->type == msgpack::type::POSITIVE_INTEGER) {
    if (v->via.u64 > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return Invalid(key, "integer is too large");
    }
    *out = static_cast<std::int64_t>(v->via.u64);
    return Status::Ok();
  }
  return WrongType(key, "an integer");
}

Status MapReader::OptInt(std::string_view key, std::optional<std::int64_t>* out) const {
  if (!Has(key)) {
    out->reset();
    return Status::Ok();
  }
  std::int64_t v = 0;
  HUB_RETURN_IF_ERROR(Int(key, &v));
  *out = v;
  return Status::Ok();
}

Status MapReader::Uint(std::string_view key, std::uint64_t* out) const {
  const auto* v = Find(key);
  if (!v || v->type == msgpack::type::NIL) return Missing(key);
  if (v->type == msgpack::type::POSITIVE_INTEGER) {
    *out = v->via.u64;
    return Status::Ok();
  }
  if (v->type == msgpack::type::NEGATIVE_INTEGER) return Invalid(key, "must not be negative");
  return WrongType(key, "an unsigned integer");
}

Status MapReader::Bool(std::string_view key, bool* out) const {
  const auto* v = Find(key);
  if (!v || v->type == msgpack::type::NIL) return Missing(key);
  if (v->type != msgpack::type::BOOLEAN) return WrongType(key, "a boolean");
  *out = v->via.boolean;
  return Status::Ok();
}

Status MapReader::OptBool(std::string_view key, std::optional<bool>* out) const {
  if (!Has(key)) {
    out->reset();
    return Status::Ok();
  }
  bool b = false;
  HUB_RETURN_IF_ERROR(Bool(key, &b));
  *out = b;
  return Status::Ok();
}

Status MapReader::Double(std::string_view key, double* out) const {
  const auto* v = Find(key);
  if (!v || v->type == msgpack::type::NIL) return Missing(key);
  switch (v->type) {
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64: *out = v->via.f64; return Status::Ok();
    case msgpack::type::POSITIVE_INTEGER: *out = static_cast<double>(v->via.u64); return Status::Ok();
    case msgpack::type::NEGATIVE_INTEGER: *out = static_cast<double>(v->via.i64); return Status::Ok();
    default: return WrongType(key, "a number");
  }
}

Status MapReader::Bin(std::string_view key, std::string* out) const {
  const auto* v = Find(key);
  if (!v || v->type == msgpack::type::NIL) return Missing(key);
  if (v->type == msgpack::type::BIN) {
    out->assign(v->via.bin.ptr, v->via.bin.size);
    return Status::Ok();
  }
  if (v->type == msgpack::type::STR) {  // tolerate producers that send raw bytes as str
    out->assign(v->via.str.ptr, v->via.str.size);
    return Status::Ok();
  }
  return WrongType(key, "binary");
}

Status MapReader::Map(std::string_view key, MapReader* out) const {
  const auto* v = Find(key);
  if (!v || v->type == msgpack::type::NIL) return Missing(key);
  if (v->type != msgpack::type::MAP) return WrongType(key, "a map");
  *out = MapReader(v, KeyPath(key));
  return Status::Ok();
}

Status MapReader::OptMap(std::string_view key, std::optional<MapReader>* out) const {
  if (!Has(key)) {
    out->reset();
    return Status::Ok();
  }
  MapReader r(nullptr, "");
  HUB_RETURN_IF_ERROR(Map(key, &r));
  *out = r;
  return Status::Ok();
}

Status MapReader::Array(std::string_view key, std::vector<const msgpack::object*>* out) const {
  const auto* v = Find(key);
  if (!v || v->type == msgpack::type::NIL) return Missing(key);
  if (v->type != msgpack::type::ARRAY) return WrongType(key, "an array");
  out->clear();
  for (std::uint32_t i = 0; i < v->via.array.size; ++i) out->push_back(&v->via.array.ptr[i]);
  return Status::Ok();
}

Status MapReader::OptArray(std::string_view key, std::vector<const msgpack::object*>* out) const {
  if (!Has(key)) {
    out->clear();
    return Status::Ok();
  }
  return Array(key, out);
}

Status MapReader::StrArray(std::string_view key, std::vector<std::string>* out) const {
  std::vector<const msgpack::object*> items;
  HUB_RETURN_IF_ERROR(OptArray(key, &items));
  out->clear();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i]->type != msgpack::type::STR) {
      return Status::InvalidArgument(
          fmt::format("expected a string, got {}", TypeName(items[i]->type)),
          fmt::format("{}[{}]", KeyPath(key), i));
    }
    out->emplace_back(items[i]->via.str.ptr, items[i]->via.str.size);
  }
  return Status::Ok();
}

Status MapReader::Raw(std::string_view key, std::string* out) const {
  const auto* v = Find(key);
  if (!v) return Missing(key);
  msgpack::sbuffer buf;
  msgpack::pack(buf, *v);
  out->assign(buf.data(), buf.size());
  return Status::Ok();
}

// ---------------------------------------------------------------- MapWriter

MapWriter::MapWriter() : fields_(std::make_unique<msgpack::sbuffer>()) {}

void MapWriter::Key(std::string_view key) {
  msgpack::packer<msgpack::sbuffer> p(*fields_);
  p.pack_str(static_cast<std::uint32_t>(key.size()));
  p.pack_str_body(key.data(), static_cast<std::uint32_t>(key.size()));
  ++count_;
}

MapWriter& MapWriter::Str(std::string_view key, std::string_view value) {
  Key(key);
  msgpack::packer<msgpack::sbuffer> p(*fields_);
  p.pack_str(static_cast<std::uint32_t>(value.size()));
  p.pack_str_body(value.data(), static_cast<std::uint32_t>(value.size()));
  return *this;
}

MapWriter& MapWriter::OptStr(std::string_view key, const std::optional<std::string>& value) {
  if (value) Str(key, *value);
  return *this;
}

MapWriter& MapWriter::Int(std::string_view key, std::int64_t value) {
  Key(key);
  msgpack::packer<msgpack::sbuffer> p(*fields_);
  p.pack_int64(value);
  return *this;
}

MapWriter& MapWriter::OptInt(std::string_view key, const std::optional<std::int64_t>& value) {
  if (value) Int(key, *value);
  return *this;
}

MapWriter& MapWriter::Uint(std::string_view key, std::uint64_t value) {
  Key(key);
  msgpack::packer<msgpack::sbuffer> p(*fields_);
  p.pack_uint64(value);
  return *this;
}

MapWriter& MapWriter::Bool(std::string_view key, bool value) {
  Key(key);
  msgpack::packer<msgpack::sbuffer> p(*fields_);
  if (value) p.pack_true(); else p.pack_false();
  return *this;
}

MapWriter& MapWriter::Double(std::string_view key, double value) {
  Key(key);
  msgpack::packer<msgpack::sbuffer> p(*fields_);
  p.pack_double(value);
  return *this;
}

MapWriter& MapWriter::Bin(std::string_view key, std::string_view bytes) {
  Key(key);
  msgpack::packer<msgpack::sbuffer> p(*fields_);
  p.pack_bin(static_cast<std::uint32_t>(bytes.size()));
  p.pack_bin_body(bytes.data(), static_cast<std::uint32_t>(bytes.size()));
  return *this;
}

MapWriter& MapWriter::Nil(std::string_view key) {
  Key(key);
  msgpack::packer<msgpack::sbuffer> p(*fields_);
  p.pack_nil();
  return *this;
}

MapWriter& MapWriter::Map(std::string_view key, const MapWriter& nested) {
  return Raw(key, nested.Finish());
}

MapWriter& MapWriter::StrArray(std::string_view key, const std::vector<std::string>& values) {
  Key(key);
  msgpack::packer<msgpack::sbuffer> p(*fields_);
  p.pack_array(static_cast<std::uint32_t>(values.size()));
  for (const auto& v : values) {
    p.pack_str(static_cast<std::uint32_t>(v.size()));
    p.pack_str_body(v.data(), static_cast<std::uint32_t>(v.size()));
  }
  return *this;
}

MapWriter& MapWriter::MapArray(std::string_view key, const std::vector<MapWriter>& values) {
  Key(key);
  msgpack::packer<msgpack::sbuffer> p(*fields_);
  p.pack_array(static_cast<std::uint32_t>(values.size()));
  for (const auto& v : values) {
    std::string bytes = v.Finish();
    fields_->write(bytes.data(), bytes.size());
  }
  return *this;
}

MapWriter& MapWriter::Raw(std::string_view key, std::string_view msgpack_bytes) {
  Key(key);
  fields_->write(msgpack_bytes.data(), msgpack_bytes.size());
  return *this;
}

std::string MapWriter::Finish() const {
  msgpack::sbuffer head;
  msgpack::packer<msgpack::sbuffer> p(head);
  p.pack_map(static_cast<std::uint32_t>(count_));
  std::string out;
  out.reserve(head.size() + fields_->size());
  out.append(head.data(), head.size());
  out.append(fields_->data(), fields_->size());
  return out;
}

}  // namespace hub::wire
