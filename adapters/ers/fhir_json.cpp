// Bounded JSON parsing and path-aware reading for the e-RS FHIR parsers.
#include "adapters/ers/fhir_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "hub/booking/calendar.hpp"

namespace hub::ers {
namespace {

std::string_view Article(const Json& node) {
  switch (node.type()) {
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "a number";
    case Json::value_t::null:
      return "null";
    default:
      return "not a JSON value";
  }
}

std::string ChildPath(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.{}", parent, key);
}

// Largest nesting of objects/arrays in `text`, stopping once over `limit`. Brackets inside
// strings do not count. Malformed text is left for the parser to reject.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

struct DateTimeParts {
  Date date;
  bool has_time = false;
  bool has_zone = false;
  std::int64_t ms_of_day = 0;
  std::int64_t offset_ms = 0;  // local time = UTC + offset
};

bool Digits(std::string_view s, std::size_t from, std::size_t n, int& value) {
  if (from + n > s.size()) return false;
  value = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

Result<DateTimeParts> ParseDateTime(std::string_view text, const std::string& path) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("'{}' {}", text, why), path);
  };
  int year = 0;
  int month = 0;
  int day = 0;
  if (text.size() == 4 || text.size() == 7) {
    return bad("is a partial date: a day is needed (YYYY-MM-DD)");
  }
  if (text.size() < 10 || !Digits(text, 0, 4, year) || text[4] != '-' ||
      !Digits(text, 5, 2, month) || text[7] != '-' || !Digits(text, 8, 2, day)) {
    return bad("is not a FHIR date or dateTime (YYYY-MM-DD or YYYY-MM-DDThh:mm:ss+zz:zz)");
  }
  auto date = booking::ParseIsoDate(text.substr(0, 10), path);
  if (!date.ok()) return bad("is not a real calendar date");
  DateTimeParts parts;
  parts.date = *date;
  if (text.size() == 10) return parts;

  const std::string_view time_form =
      "is not a FHIR dateTime: expected YYYY-MM-DDThh:mm:ss[.sss] then Z or +hh:mm";
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (text[10] != 'T' || !Digits(text, 11, 2, hour) || text.size() < 19 || text[13] != ':' ||
      !Digits(text, 14, 2, minute) || text[16] != ':' || !Digits(text, 17, 2, second)) {
    return bad(time_form);
  }
  if (hour > 23 || minute > 59 || second > 60) return bad("has a time of day out of range");
  std::size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    std::size_t digits = 0;
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return bad(time_form);
    for (std::size_t d = digits; d < 3; ++d) millis *= 10;
  }
  parts.has_time = true;
  parts.ms_of_day = ((hour * 60LL + minute) * 60 + std::min(second, 59)) * 1000 + millis;
  if (pos == text.size()) return parts;
  if (text[pos] == 'Z' && pos + 1 == text.size()) {
    parts.has_zone = true;
    return parts;
  }
  int zh = 0;
  int zm = 0;
  if ((text[pos] == '+' || text[pos] == '-') && pos + 6 == text.size() &&
      Digits(text, pos + 1, 2, zh) && text[pos + 3] == ':' && Digits(text, pos + 4, 2, zm) &&
      zh <= 14 && zm <= 59) {
    parts.has_zone = true;
    parts.offset_ms = (zh * 60LL + zm) * 60000 * (text[pos] == '-' ? -1 : 1);
    return parts;
  }
  return bad(time_form);
}

std::int64_t UtcMs(const DateTimeParts& p) {
  return p.date.time_since_epoch().count() * 86400000LL + p.ms_of_day - p.offset_ms;
}

}  // namespace

Result<Json> ParseJson(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::InvalidArgument(
        fmt::format("JSON document of {} bytes is larger than the {}-byte limit", text.size(),
                    limits.max_bytes));
  }
  if (NestingDepth(text, limits.max_depth) > limits.max_depth) {
    return Status::InvalidArgument(
        fmt::format("JSON document nests deeper than {} levels", limits.max_depth));
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    std::string_view what = e.what();
    if (std::size_t p = what.find("] "); p != std::string_view::npos) what.remove_prefix(p + 2);
    return Status::InvalidArgument(fmt::format("not valid JSON: {}", what));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(fmt::format("JSON could not be read: {}", e.what()));
  }
}

JsonView JsonView::operator[](std::string_view key) const {
  std::string child = ChildPath(path_, key);
  if (!problem_.empty()) return JsonView(nullptr, std::move(child), problem_path_, problem_);
  if (node_ == nullptr || node_->is_null()) return JsonView(nullptr, std::move(child), {}, {});
  if (!node_->is_object()) {
    return JsonView(nullptr, std::move(child), path_,
                    fmt::format("must be an object, but is {}", Article(*node_)));
  }
  auto it = node_->find(std::string(key));
  return JsonView(it == node_->end() ? nullptr : &*it, std::move(child), {}, {});
}

JsonView JsonView::At(std::size_t index) const {
  std::string child = fmt::format("{}[{}]", path_, index);
  if (!problem_.empty()) return JsonView(nullptr, std::move(child), problem_path_, problem_);
  if (node_ == nullptr || node_->is_null()) return JsonView(nullptr, std::move(child), {}, {});
  if (!node_->is_array()) {
    return JsonView(nullptr, std::move(child), path_,
                    fmt::format("must be an array, but is {}", Article(*node_)));
  }
  return JsonView(index < node_->size() ? &(*node_)[index] : nullptr, std::move(child), {}, {});
}

Status JsonView::Check(std::string_view wanted, bool (Json::*is)() const noexcept,
                       bool required) const {
  if (!problem_.empty()) return Status::InvalidArgument(problem_, problem_path_);
  if (node_ == nullptr || node_->is_null()) {
    return required ? Invalid("is required but missing") : Status::Ok();
  }
  if (!(node_->*is)())
    return Invalid(fmt::format("must be {}, but is {}", wanted, Article(*node_)));
  return Status::Ok();
}

Result<std::string> JsonView::String() const {
  HUB_RETURN_IF_ERROR(Check("a string", &Json::is_string, /*required=*/true));
  return node_->get_ref<const std::string&>();
}

Result<std::optional<std::string>> JsonView::OptString() const {
  HUB_RETURN_IF_ERROR(Check("a string", &Json::is_string, /*required=*/false));
  if (!present()) return std::optional<std::string>();
  return std::optional<std::string>(node_->get_ref<const std::string&>());
}

Result<std::int64_t> JsonView::Integer() const {
  HUB_RETURN_IF_ERROR(Check("a whole number", &Json::is_number_integer, /*required=*/true));
  if (node_->is_number_unsigned() &&
      node_->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return Invalid("is too large");
  }
  return node_->get<std::int64_t>();
}

Result<std::optional<std::int64_t>> JsonView::OptInteger() const {
  if (!present() && problem_.empty()) return std::optional<std::int64_t>();
  HUB_ASSIGN_OR_RETURN(std::int64_t value, Integer());
  return std::optional<std::int64_t>(value);
}

Result<std::vector<JsonView>> JsonView::Array() const {
  HUB_RETURN_IF_ERROR(Check("an array", &Json::is_array, /*required=*/true));
  std::vector<JsonView> out;
  out.reserve(node_->size());
  for (std::size_t i = 0; i < node_->size(); ++i) out.push_back(At(i));
  return out;
}

Result<std::vector<JsonView>> JsonView::OptArray() const {
  if (!present() && problem_.empty()) return std::vector<JsonView>();
  return Array();
}

Status JsonView::RequireObject() const {
  return Check("an object", &Json::is_object, /*required=*/true);
}

Result<std::optional<JsonView>> FindExtension(const JsonView& owner, std::string_view url) {
  HUB_ASSIGN_OR_RETURN(auto extensions, owner["extension"].OptArray());
  for (const JsonView& ext : extensions) {
    HUB_ASSIGN_OR_RETURN(auto ext_url, ext["url"].OptString());
    if (ext_url && *ext_url == url) return std::optional<JsonView>(ext);
  }
  return std::optional<JsonView>();
}

Result<std::optional<std::string>> FirstCode(const JsonView& codeable_concept,
                                             std::string_view system) {
  HUB_ASSIGN_OR_RETURN(auto codings, codeable_concept["coding"].OptArray());
  for (const JsonView& coding : codings) {
    if (!system.empty()) {
      HUB_ASSIGN_OR_RETURN(auto coding_system, coding["system"].OptString());
      if (!coding_system || *coding_system != system) continue;
    }
    HUB_ASSIGN_OR_RETURN(auto code, coding["code"].OptString());
    if (code) return code;
  }
  return std::optional<std::string>();
}

Result<std::optional<std::string>> IdentifierValue(const JsonView& identifier,
                                                   std::string_view system) {
  HUB_ASSIGN_OR_RETURN(auto id_system, identifier["system"].OptString());
  if (!id_system || *id_system != system) return std::optional<std::string>();
  return identifier["value"].OptString();
}

Result<Date> FhirLondonDate(std::string_view text, const std::string& path) {
  HUB_ASSIGN_OR_RETURN(DateTimeParts parts, ParseDateTime(text, path));
  if (!parts.has_zone) return parts.date;
  return booking::LondonDateAt(UtcMs(parts));
}

Result<std::int64_t> FhirInstantMs(std::string_view text, const std::string& path) {
  HUB_ASSIGN_OR_RETURN(DateTimeParts parts, ParseDateTime(text, path));
  if (!parts.has_time || !parts.has_zone) {
    return Status::InvalidArgument(
        fmt::format("'{}' needs a time and a time zone (e.g. 2021-06-13T12:30:00Z)", text), path);
  }
  return UtcMs(parts);
}

std::string DumpJson(const nlohmann::ordered_json& json) {
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace hub::ers
