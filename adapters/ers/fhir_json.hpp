// Reading FHIR JSON safely: bounded parsing, a path-aware view whose every read says which
// element was wrong and why (e.g. "entry[2].extension[0].valueDateTime: must be a string, but is
// a number"), and FHIR date/time values as Europe/London dates. No exception leaves this file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/ers/referral_input.hpp"
#include "hub/common/status.hpp"

namespace hub::ers {

using Json = nlohmann::json;

struct JsonLimits {
  // e-RS fails responses over 10 MB (RULES §3.2), so nothing legitimate is larger.
  std::size_t max_bytes = std::size_t{10} * 1000 * 1000;
  // FHIR resources nest a dozen levels; the limit keeps hostile input from exhausting the stack.
  int max_depth = 64;
};

// Parses JSON text. InvalidArgument (field "") when it is larger than the limit, nested deeper
// than the limit, or not JSON (the reason gives line and column).
Result<Json> ParseJson(std::string_view text, const JsonLimits& limits = {});

// A position in a parsed document: the node (or its absence) and the path that reached it.
// Taking a child never fails; the reads report what was wrong on the way there. The document
// must outlive the view.
class JsonView {
 public:
  explicit JsonView(const Json& root) : node_(&root) {}

  const std::string& path() const { return path_; }
  // Present and not JSON null.
  bool present() const { return problem_.empty() && node_ != nullptr && !node_->is_null(); }
  const Json* node() const { return present() ? node_ : nullptr; }

  JsonView operator[](std::string_view key) const;
  JsonView At(std::size_t index) const;

  Result<std::string> String() const;                    // required string
  Result<std::optional<std::string>> OptString() const;  // absent -> nullopt
  Result<std::int64_t> Integer() const;                  // required whole number
  Result<std::optional<std::int64_t>> OptInteger() const;
  Result<std::vector<JsonView>> Array() const;     // required array
  Result<std::vector<JsonView>> OptArray() const;  // absent -> empty
  Status RequireObject() const;                    // present and an object

  // InvalidArgument at this path.
  Status Invalid(std::string_view why) const {
    return Status::InvalidArgument(std::string(why), path_);
  }

 private:
  JsonView(const Json* node, std::string path, std::string problem_path, std::string problem)
      : node_(node),
        path_(std::move(path)),
        problem_path_(std::move(problem_path)),
        problem_(std::move(problem)) {}
  // The error to return when this view cannot be read as `wanted` (or OK when it can).
  Status Check(std::string_view wanted, bool (Json::*is)() const noexcept, bool required) const;

  const Json* node_ = nullptr;  // nullptr: absent
  std::string path_;
  // Set when an ancestor had the wrong type: reads fail there, not here.
  std::string problem_path_;
  std::string problem_;
};

// The first element of `owner`'s "extension" array whose "url" is `url`, or nullopt.
// Fails when "extension" is not an array or an element's url is not a string.
Result<std::optional<JsonView>> FindExtension(const JsonView& owner, std::string_view url);

// The code of the first coding in a CodeableConcept ("coding" array) whose system is `system`,
// or of the first coding when `system` is empty; nullopt when there is none.
Result<std::optional<std::string>> FirstCode(const JsonView& codeable_concept,
                                             std::string_view system = {});

// The value of an Identifier whose "system" is `system` (`identifier` is one Identifier), or
// nullopt when the system differs or there is no value.
Result<std::optional<std::string>> IdentifierValue(const JsonView& identifier,
                                                   std::string_view system);

// FHIR date, dateTime or instant ("2021-09-07", "2021-09-03T14:16:53.119Z",
// "2024-05-08T10:54:23+01:00") as the Europe/London calendar date it falls on. A value with a
// time zone is converted; a date-only value (or a time without zone) is taken as written.
// Partial dates ("2021", "2021-09") are refused: a clock start needs a day.
// Errors name `path`.
Result<Date> FhirLondonDate(std::string_view text, const std::string& path);

// A FHIR dateTime/instant with time and zone as milliseconds since the epoch (UTC).
Result<std::int64_t> FhirInstantMs(std::string_view text, const std::string& path);

// JSON text of `json`, with invalid UTF-8 replaced (so dumping never throws).
std::string DumpJson(const nlohmann::ordered_json& json);

}  // namespace hub::ers
