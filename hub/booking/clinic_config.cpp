// Strict loading of config/clinics/*.toml into ClinicTemplates.
#include "hub/booking/clinic_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <optional>
#include <system_error>

#include "hub/common/config_table.hpp"

namespace hub::booking {

namespace {

constexpr const char* kWeekdays[] = {"MONDAY", "TUESDAY",  "WEDNESDAY", "THURSDAY",
                                     "FRIDAY", "SATURDAY", "SUNDAY"};

// ConfigTable returns defaults for absent keys; these keys have none.
Result<std::int64_t> RequiredInt(ConfigTable& t, const std::string& key, std::int64_t min,
                                 std::int64_t max) {
  if (!t.Has(key)) return t.Error(key, "is required");
  return t.IntInRange(key, 0, min, max);
}

Result<int> ReadTime(ConfigTable& t, const std::string& key) {
  HUB_ASSIGN_OR_RETURN(std::string text, t.RequiredString(key));
  auto minutes = ParseLocalTime(text, key);
  if (!minutes.ok()) return t.Error(key, minutes.status().message());
  return *minutes;
}

Result<Date> ReadDate(ConfigTable& t, const std::string& key) {
  HUB_ASSIGN_OR_RETURN(std::string text, t.RequiredString(key));
  auto d = ParseIsoDate(text, key);
  if (!d.ok()) return t.Error(key, d.status().message());
  return *d;
}

Status ReadSlot(ConfigTable& t, SlotDef* s) {
  HUB_ASSIGN_OR_RETURN(s->start_minutes, ReadTime(t, "start"));
  HUB_ASSIGN_OR_RETURN(auto length, RequiredInt(t, "length_minutes", 5, 240));
  s->length_minutes = static_cast<int>(length);
  HUB_ASSIGN_OR_RETURN(std::string type, t.RequiredString("type"));
  auto parsed = ParseSlotType(type, "type");
  if (!parsed.ok()) return t.Error("type", parsed.status().message());
  s->type = *parsed;
  HUB_ASSIGN_OR_RETURN(auto capacity, t.IntInRange("capacity", 1, 1, 50));
  s->capacity = static_cast<int>(capacity);
  if (t.Has("release_days")) {
    // RULES §8, §1.10: only URGENT and TWO_WEEK_WAIT slots are ever released to lower priorities.
    if (s->type != SlotType::kUrgent && s->type != SlotType::kTwoWeekWait) {
      return t.Error("release_days", "applies only to URGENT and TWO_WEEK_WAIT slots");
    }
    HUB_ASSIGN_OR_RETURN(auto days, t.IntInRange("release_days", 0, 0, kMaxReleaseDays));
    s->release_days = static_cast<int>(days);
  }
  return t.Finish();
}

// Where a ValidateTemplate error belongs: "slots[3].start" is key "start" of the fourth [[slots]]
// table, anything else a key of the root table.
Status Locate(const Status& s, ConfigTable& root, std::vector<ConfigTable>& slots) {
  const std::string& field = s.field();
  if (field.rfind("slots[", 0) == 0) {
    const auto close = field.find(']');
    std::size_t i = 0;
    const char* digits = field.data() + 6;
    if (close != std::string::npos && close + 1 < field.size() && field[close + 1] == '.' &&
        std::from_chars(digits, field.data() + close, i).ptr == field.data() + close &&
        i < slots.size()) {
      return slots[i].Error(field.substr(close + 2), s.message());
    }
  }
  return root.Error(field.empty() ? "slots" : field, s.message());
}

Result<ClinicTemplate> ReadClinic(const toml::table& table, const std::string& origin) {
  ConfigTable t(table, origin);
  ClinicTemplate c;
  HUB_ASSIGN_OR_RETURN(c.clinic_code, t.RequiredString("clinic_code"));
  HUB_ASSIGN_OR_RETURN(c.clinic_name, t.String("clinic_name", ""));
  HUB_ASSIGN_OR_RETURN(c.consultant, t.RequiredString("consultant"));
  HUB_ASSIGN_OR_RETURN(c.specialty, t.RequiredString("specialty"));
  HUB_ASSIGN_OR_RETURN(c.clinic_type, t.RequiredString("clinic_type"));
  HUB_ASSIGN_OR_RETURN(c.site, t.RequiredString("site"));
  HUB_ASSIGN_OR_RETURN(c.room, t.String("room", ""));
  HUB_ASSIGN_OR_RETURN(std::string weekday, t.RequiredString("weekday"));
  const auto* day = std::find(std::begin(kWeekdays), std::end(kWeekdays), weekday);
  if (day == std::end(kWeekdays)) {
    return t.Error("weekday", fmt::format("'{}' is not MONDAY, TUESDAY, WEDNESDAY, THURSDAY, "
                                          "FRIDAY, SATURDAY or SUNDAY",
                                          weekday));
  }
  c.weekday = static_cast<unsigned>(day - std::begin(kWeekdays)) + 1;
  HUB_ASSIGN_OR_RETURN(c.start_minutes, ReadTime(t, "start"));
  HUB_ASSIGN_OR_RETURN(c.end_minutes, ReadTime(t, "end"));
  HUB_ASSIGN_OR_RETURN(c.effective_from, ReadDate(t, "effective_from"));
  if (t.Has("effective_to")) {
    HUB_ASSIGN_OR_RETURN(Date to, ReadDate(t, "effective_to"));
    c.effective_to = to;
  }
  HUB_ASSIGN_OR_RETURN(auto horizon, t.IntInRange("booking_horizon_weeks", 12, 1, 104));
  c.booking_horizon_weeks = static_cast<int>(horizon);
  HUB_ASSIGN_OR_RETURN(auto release, t.IntInRange("release_days", 0, 0, kMaxReleaseDays));
  c.release_days = static_cast<int>(release);
  HUB_ASSIGN_OR_RETURN(std::vector<ConfigTable> slots, t.TableArray("slots"));
  if (slots.empty()) return t.Error("slots", "a clinic needs at least one [[slots]] entry");
  for (auto& slot : slots) {
    SlotDef def;
    HUB_RETURN_IF_ERROR(ReadSlot(slot, &def));
    c.slots.push_back(def);
  }
  HUB_RETURN_IF_ERROR(t.Finish());
  Status valid = ValidateTemplate(&c);
  if (!valid.ok()) return Locate(valid, t, slots);
  return c;
}

}  // namespace

Result<ClinicTemplate> LoadClinicFile(const std::string& path) {
  HUB_ASSIGN_OR_RETURN(auto table, ParseTomlFile(path));
  return ReadClinic(*table, path);
}

Result<ClinicTemplate> LoadClinicText(const std::string& text, const std::string& origin) {
  HUB_ASSIGN_OR_RETURN(auto table, ParseTomlText(text, origin));
  return ReadClinic(*table, origin);
}

Result<std::vector<ClinicTemplate>> LoadClinicDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound(
        fmt::format("clinic directory {} does not exist or is not a "
                    "directory",
                    dir));
  }
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() == ".toml" && it->is_regular_file(ec)) files.push_back(p.string());
  }
  if (ec)
    return Status::IOError(fmt::format("cannot list clinic directory {}: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  std::vector<ClinicTemplate> out;
  std::map<std::string, std::string> defined_in;  // clinic code -> file
  for (const auto& file : files) {
    HUB_ASSIGN_OR_RETURN(ClinicTemplate c, LoadClinicFile(file));
    auto [it, fresh] = defined_in.emplace(c.clinic_code, file);
    if (!fresh) {
      return Status::InvalidArgument(
          fmt::format("{}: key 'clinic_code': clinic '{}' is already defined in {}", file,
                      c.clinic_code, it->second),
          "clinic_code");
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace hub::booking
