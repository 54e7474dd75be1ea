// Strict reading and writing of msgpack maps with named keys — the shape of every envelope and
// message body on the wire (DESIGN §2, HOUSE_STYLE §14).
//
// Reading contract: a required key that is absent, or any key whose value has the wrong msgpack
// type, is an InvalidArgument naming the key's full path ("body.patient.nhs_number"). Keys the
// reader does not ask for are ignored, so producers may add fields without breaking consumers.
// Nil counts as absent for optional keys. Nothing here throws.
#pragma once

#include <msgpack.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/common/status.hpp"

namespace hub::wire {

// Upper bound on any single msgpack document we accept, and the nesting/element limits that
// stop a small hostile document from allocating a lot of memory.
inline constexpr std::size_t kMaxDocumentBytes = 16 * 1024 * 1024;

// Owns the memory behind decoded msgpack objects. Movable.
class Document {
 public:
  // Parses exactly one msgpack object from `bytes`; trailing bytes are an error.
  static Result<Document> Parse(std::string_view bytes, std::string_view what = "message");
  const msgpack::object& root() const { return handle_.get(); }

 private:
  msgpack::object_handle handle_;
};

class MapReader {
 public:
  // `obj` must outlive the reader. Fails when `obj` is not a map.
  static Result<MapReader> Of(const msgpack::object& obj, std::string path = "");

  const std::string& path() const { return path_; }
  bool Has(std::string_view key) const;

  Status Str(std::string_view key, std::string* out) const;
  Status OptStr(std::string_view key, std::optional<std::string>* out) const;
  // Optional string that defaults to "" when absent.
  Status StrOr(std::string_view key, std::string* out) const;
  Status Int(std::string_view key, std::int64_t* out) const;
  Status OptInt(std::string_view key, std::optional<std::int64_t>* out) const;
  Status Uint(std::string_view key, std::uint64_t* out) const;
  Status Bool(std::string_view key, bool* out) const;
  Status OptBool(std::string_view key, std::optional<bool>* out) const;
  Status Double(std::string_view key, double* out) const;
  Status Bin(std::string_view key, std::string* out) const;
  Status Map(std::string_view key, MapReader* out) const;
  Status OptMap(std::string_view key, std::optional<MapReader>* out) const;
  // The elements of an array value (absent → error).
  Status Array(std::string_view key, std::vector<const msgpack::object*>* out) const;
  // Optional array: absent → empty.
  Status OptArray(std::string_view key, std::vector<const msgpack::object*>* out) const;
  Status StrArray(std::string_view key, std::vector<std::string>* out) const;
  // The value's own msgpack bytes (any type), re-encoded.
  Status Raw(std::string_view key, std::string* out) const;

  // Error helpers that name a key of this map.
  Status Invalid(std::string_view key, std::string_view why) const;
  std::string KeyPath(std::string_view key) const;

 private:
  MapReader(const msgpack::object* obj, std::string path) : obj_(obj), path_(std::move(path)) {}
  const msgpack::object* Find(std::string_view key) const;
  Status Missing(std::string_view key) const;
  Status WrongType(std::string_view key, std::string_view expected) const;

  const msgpack::object* obj_;
  std::string path_;
};

// Builds a map one field at a time; the map header is written by Finish() once the number of
// fields is known. Optional values that are empty are left out.
class MapWriter {
 public:
  MapWriter();
  MapWriter& Str(std::string_view key, std::string_view value);
  MapWriter& OptStr(std::string_view key, const std::optional<std::string>& value);
  MapWriter& Int(std::string_view key, std::int64_t value);
  MapWriter& OptInt(std::string_view key, const std::optional<std::int64_t>& value);
  MapWriter& Uint(std::string_view key, std::uint64_t value);
  MapWriter& Bool(std::string_view key, bool value);
  MapWriter& Double(std::string_view key, double value);
  MapWriter& Bin(std::string_view key, std::string_view bytes);
  MapWriter& Nil(std::string_view key);
  MapWriter& Map(std::string_view key, const MapWriter& nested);
  MapWriter& StrArray(std::string_view key, const std::vector<std::string>& values);
  MapWriter& MapArray(std::string_view key, const std::vector<MapWriter>& values);
  // Inserts `msgpack_bytes`, which must already be one valid msgpack object.
  MapWriter& Raw(std::string_view key, std::string_view msgpack_bytes);

  std::size_t size() const { return count_; }
  // The complete encoded map.
  std::string Finish() const;

 private:
  // Writes `key`; the caller then packs its value into fields_.
  void Key(std::string_view key);
  std::unique_ptr<msgpack::sbuffer> fields_;  // heap-held so MapWriter can move
  std::size_t count_ = 0;
};

}  // namespace hub::wire
