// Loading config/print.toml.
#include "adapters/print/print_config.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <optional>

#include "hub/common/config_table.hpp"

namespace hub::print {

namespace fs = std::filesystem;

namespace {

constexpr double kPageWidthMm = 210;
constexpr double kPageHeightMm = 297;
// The reference column (date, NHS number...) sits right of the window and needs this much room.
constexpr double kMinReferenceColumnMm = 50;
constexpr double kColumnGapMm = 8;
constexpr std::int64_t kMaxAgeMinutes = std::int64_t{7} * 24 * 60;  // a week

std::string Resolve(const std::string& base, const std::string& path) {
  if (fs::path(path).is_absolute()) return path;
  return (fs::path(base) / path).lexically_normal().string();
}

Result<double> DoubleInRange(ConfigTable& t, const std::string& key, double def, double min,
                             double max) {
  HUB_ASSIGN_OR_RETURN(double v, t.Double(key, def));
  if (v < min || v > max) {
    return t.Error(key, fmt::format("{} is out of range [{}, {}]", v, min, max));
  }
  return v;
}

// Runs `read` on [name], or on an empty table when the section is absent, so every default
// is applied in one place.
template <typename ReadFn>
Status Section(ConfigTable& top, const std::string& name, ReadFn&& read) {
  HUB_ASSIGN_OR_RETURN(auto table, top.Table(name));
  if (table) {
    HUB_RETURN_IF_ERROR(read(*table));
    return table->Finish();
  }
  toml::table empty;
  ConfigTable t(empty, top.file(), name);
  return read(t);
}

Status ReadTrust(ConfigTable& t, PrintConfig& c) {
  HUB_ASSIGN_OR_RETURN(c.trust.name, t.String("name", c.trust.name));
  if (c.trust.name.empty()) return t.Error("name", "must not be empty");
  HUB_ASSIGN_OR_RETURN(c.trust.address_lines, t.StringList("address_lines", c.trust.address_lines));
  HUB_ASSIGN_OR_RETURN(c.trust.phone, t.String("phone", c.trust.phone));
  HUB_ASSIGN_OR_RETURN(c.trust.website, t.String("website", c.trust.website));
  c.fields.trust_name = c.trust.name;
  c.fields.trust_phone = c.trust.phone;
  c.fields.website = c.trust.website;
  return Status::Ok();
}

Status ReadContact(ConfigTable& t, PrintConfig& c) {
  HUB_ASSIGN_OR_RETURN(c.fields.booking_phone, t.String("booking_phone", ""));
  HUB_ASSIGN_OR_RETURN(c.fields.booking_hours, t.String("booking_hours", ""));
  HUB_ASSIGN_OR_RETURN(c.fields.booking_email, t.String("booking_email", ""));
  return Status::Ok();
}

Status ReadLetters(ConfigTable& t, PrintConfig& c, const std::string& config_dir) {
  HUB_ASSIGN_OR_RETURN(std::string dir, t.String("templates_dir", "letters"));
  c.templates_dir = Resolve(config_dir, dir);
  HUB_ASSIGN_OR_RETURN(std::string postage, t.String("postage", "second"));
  auto p = PostageFromName(postage);
  if (!p) return t.Error("postage", fmt::format("'{}' is not first, second or economy", postage));
  c.defaults.postage = *p;
  HUB_ASSIGN_OR_RETURN(c.defaults.duplex, t.Bool("duplex", c.defaults.duplex));
  HUB_ASSIGN_OR_RETURN(c.defaults.colour, t.Bool("colour", c.defaults.colour));
  return Status::Ok();
}

Status ReadLayout(ConfigTable& t, PrintConfig& c) {
  HUB_ASSIGN_OR_RETURN(c.layout.font, t.String("font", c.layout.font));
  if (c.layout.font.empty()) return t.Error("font", "must not be empty");
  HUB_ASSIGN_OR_RETURN(c.layout.font_size_pt,
                       DoubleInRange(t, "font_size_pt", c.layout.font_size_pt, 8, 16));
  HUB_ASSIGN_OR_RETURN(c.layout.margin_mm,
                       DoubleInRange(t, "margin_mm", c.layout.margin_mm, 10, 40));
  HUB_ASSIGN_OR_RETURN(auto pages, t.IntInRange("max_pages", c.layout.max_pages, 1, 50));
  c.layout.max_pages = static_cast<int>(pages);
  return Status::Ok();
}

Status ReadWindow(ConfigTable& t, PrintConfig& c) {
  HUB_ASSIGN_OR_RETURN(c.window.envelope, t.String("envelope", c.window.envelope));
  if (c.window.envelope.empty()) return t.Error("envelope", "must not be empty");
  ZoneMm& z = c.window.zone;
  HUB_ASSIGN_OR_RETURN(z.x, DoubleInRange(t, "x_mm", z.x, 5, kPageWidthMm));
  HUB_ASSIGN_OR_RETURN(z.y, DoubleInRange(t, "y_mm", z.y, 5, kPageHeightMm / 2));
  HUB_ASSIGN_OR_RETURN(z.width, DoubleInRange(t, "width_mm", z.width, 40, kPageWidthMm));
  HUB_ASSIGN_OR_RETURN(z.height, DoubleInRange(t, "height_mm", z.height, 15, kPageHeightMm / 2));
  double column = kPageWidthMm - c.layout.margin_mm - (z.x + z.width + kColumnGapMm);
  if (column < kMinReferenceColumnMm) {
    return t.Error("width_mm",
                   fmt::format("the window (x_mm + width_mm = {} mm) leaves {:.0f} mm for the date "
                               "and references beside it; they need {} mm",
                               z.x + z.width, column, kMinReferenceColumnMm));
  }
  return Status::Ok();
}

Status ReadBatch(ConfigTable& t, PrintConfig& c) {
  HUB_ASSIGN_OR_RETURN(auto n, t.IntInRange("max_letters", c.batch.max_letters, 1, 100000));
  HUB_ASSIGN_OR_RETURN(auto m,
                       t.IntInRange("max_age_minutes", c.batch.max_age_minutes, 1, kMaxAgeMinutes));
  c.batch.max_letters = static_cast<int>(n);
  c.batch.max_age_minutes = static_cast<int>(m);
  return Status::Ok();
}

Status ReadFolders(ConfigTable& t, PrintConfig& c, const std::string& data_dir) {
  struct Key {
    const char* name;
    const char* def;
    std::string* out;
  };
  PrintFolders& f = c.folders;
  for (const Key& k :
       {Key{"database", "print.db", &f.database}, Key{"outbox", "print/outbox", &f.outbox},
        Key{"staging", "print/staging", &f.staging}, Key{"inbox", "print/inbox", &f.inbox},
        Key{"done", "print/inbox/done", &f.done}, Key{"error", "print/inbox/error", &f.error}}) {
    HUB_ASSIGN_OR_RETURN(std::string v, t.String(k.name, k.def));
    if (v.empty()) return t.Error(k.name, "must not be empty");
    *k.out = Resolve(data_dir, v);
  }
  if (f.staging == f.outbox) {
    return t.Error("staging",
                   "must differ from outbox: the vendor must never see a batch being written");
  }
  if (f.done == f.inbox || f.error == f.inbox || f.done == f.error) {
    return t.Error("done", "inbox, done and error must be three different folders");
  }
  return Status::Ok();
}

Status ReadAdapter(ConfigTable& t, PrintConfig& c) {
  AdapterConfig& a = c.adapter;
  struct Key {
    const char* name;
    int* out;
    std::int64_t min;
    std::int64_t max;
  };
  for (const Key& k :
       {Key{"credit", &a.credit, 1, 1024}, Key{"outbox_in_flight", &a.outbox_in_flight, 1, 10'000},
        Key{"outbox_timeout_ms", &a.outbox_timeout_ms, 100, 3'600'000},
        Key{"poll_ms", &a.poll_ms, 10, 600'000},
        Key{"waiting_soft_limit", &a.waiting_soft_limit, 1, 10'000'000},
        Key{"waiting_hard_limit", &a.waiting_hard_limit, 1, 10'000'000}}) {
    HUB_ASSIGN_OR_RETURN(auto v, t.IntInRange(k.name, *k.out, k.min, k.max));
    *k.out = static_cast<int>(v);
  }
  if (a.waiting_soft_limit > a.waiting_hard_limit) {
    return t.Error("waiting_soft_limit", "must not be above waiting_hard_limit");
  }
  return Status::Ok();
}

Result<PrintConfig> ParseTable(const toml::table& root, const std::string& origin,
                               const std::string& config_dir, const std::string& data_dir) {
  PrintConfig c;
  c.config_path = origin;
  ConfigTable top(root, origin);
  HUB_RETURN_IF_ERROR(Section(top, "trust", [&](ConfigTable& t) { return ReadTrust(t, c); }));
  HUB_RETURN_IF_ERROR(Section(top, "contact", [&](ConfigTable& t) { return ReadContact(t, c); }));
  HUB_RETURN_IF_ERROR(
      Section(top, "letters", [&](ConfigTable& t) { return ReadLetters(t, c, config_dir); }));
  HUB_RETURN_IF_ERROR(Section(top, "layout", [&](ConfigTable& t) { return ReadLayout(t, c); }));
  HUB_RETURN_IF_ERROR(Section(top, "window", [&](ConfigTable& t) { return ReadWindow(t, c); }));
  HUB_RETURN_IF_ERROR(Section(top, "batch", [&](ConfigTable& t) { return ReadBatch(t, c); }));
  HUB_RETURN_IF_ERROR(
      Section(top, "folders", [&](ConfigTable& t) { return ReadFolders(t, c, data_dir); }));
  HUB_RETURN_IF_ERROR(Section(top, "adapter", [&](ConfigTable& t) { return ReadAdapter(t, c); }));
  HUB_RETURN_IF_ERROR(top.Finish());
  return c;
}

}  // namespace

Result<PrintConfig> LoadPrintConfig(const std::string& path, const std::string& data_dir) {
  HUB_ASSIGN_OR_RETURN(auto root, ParseTomlFile(path));
  std::string config_dir = fs::absolute(path).parent_path().string();
  return ParseTable(*root, path, config_dir, data_dir);
}

Result<PrintConfig> ParsePrintConfig(const std::string& text, const std::string& origin,
                                     const std::string& config_dir, const std::string& data_dir) {
  HUB_ASSIGN_OR_RETURN(auto root, ParseTomlText(text, origin));
  return ParseTable(*root, origin, config_dir, data_dir);
}

}  // namespace hub::print
