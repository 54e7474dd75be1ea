// Loading config/scan.toml.
#include "adapters/scan/scan_config.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "hub/common/config_table.hpp"

namespace hub::scan {

namespace fs = std::filesystem;

namespace {

std::string Resolve(const std::string& base, const std::string& path) {
  if (fs::path(path).is_absolute()) return path;
  return (fs::path(base) / path).lexically_normal().string();
}

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

Status ReadInt(ConfigTable& t, const char* key, int* out, std::int64_t min, std::int64_t max) {
  HUB_ASSIGN_OR_RETURN(auto v, t.IntInRange(key, *out, min, max));
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status ReadTrust(ConfigTable& t, ScanConfig& c) {
  HUB_ASSIGN_OR_RETURN(c.layout.trust_name, t.String("name", c.layout.trust_name));
  if (c.layout.trust_name.empty()) return t.Error("name", "must not be empty");
  return Status::Ok();
}

Status ReadCoversheet(ConfigTable& t, ScanConfig& c) {
  HUB_ASSIGN_OR_RETURN(std::string symbology, t.String("symbology", "datamatrix"));
  if (symbology == "datamatrix") {
    c.layout.symbology = Symbology::kDataMatrix;
  } else if (symbology == "qr") {
    c.layout.symbology = Symbology::kQrCode;
  } else {
    return t.Error("symbology", fmt::format("'{}' is not datamatrix or qr", symbology));
  }
  HUB_ASSIGN_OR_RETURN(c.layout.module_mm, t.Double("module_mm", c.layout.module_mm));
  if (c.layout.module_mm < 0.4 || c.layout.module_mm > 1.5) {
    return t.Error("module_mm", fmt::format("{} is out of range [0.4, 1.5]", c.layout.module_mm));
  }
  HUB_ASSIGN_OR_RETURN(c.layout.font, t.String("font", c.layout.font));
  if (c.layout.font.empty()) return t.Error("font", "must not be empty");
  HUB_ASSIGN_OR_RETURN(std::string separator, t.String("separator", "none"));
  auto patch = PatchCodeFromName(separator);
  if (!patch || *patch == PatchCode::kPatch3) {
    return t.Error("separator",
                   fmt::format("'{}' is not none, PATCH_2 or PATCH_T (PATCH_3 marks a batch: "
                               "see batch_separator)",
                               separator));
  }
  c.batch.separator = *patch;
  HUB_ASSIGN_OR_RETURN(c.batch.batch_separator,
                       t.Bool("batch_separator", c.batch.batch_separator));
  return Status::Ok();
}

Status ReadBatch(ConfigTable& t, ScanConfig& c) {
  HUB_RETURN_IF_ERROR(ReadInt(t, "max_coversheets", &c.batch.max_coversheets, 1, 10'000));
  return ReadInt(t, "max_age_minutes", &c.batch.max_age_minutes, 1, 7 * 24 * 60);
}

Status ReadIntake(ConfigTable& t, ScanConfig& c) {
  HUB_ASSIGN_OR_RETURN(c.intake.index_file, t.String("index_file", c.intake.index_file));
  if (c.intake.index_file.empty() || c.intake.index_file.find('/') != std::string::npos) {
    return t.Error("index_file", "must be a file name (no folder)");
  }
  HUB_RETURN_IF_ERROR(ReadInt(t, "decode_dpi", &c.intake.decode_dpi, 100, 600));
  HUB_RETURN_IF_ERROR(ReadInt(t, "max_documents", &c.intake.max_documents, 1, 1'000'000));
  return ReadInt(t, "max_file_mb", &c.intake.max_file_mb, 1, 4096);
}

Status ReadChase(ConfigTable& t, ScanConfig& c) {
  return ReadInt(t, "after_days", &c.chase.after_days, 1, 365);
}

Status ReadFolders(ConfigTable& t, ScanConfig& c, const std::string& data_dir) {
  struct Key {
    const char* name;
    const char* def;
    std::string* out;
  };
  ScanFolders& f = c.folders;
  for (const Key& k : {Key{"database", "scan.db", &f.database},
                       Key{"coversheets", "scan/coversheets", &f.coversheets},
                       Key{"staging", "scan/staging", &f.staging},
                       Key{"inbox", "scan/inbox", &f.inbox}, Key{"work", "scan/work", &f.work},
                       Key{"done", "scan/done", &f.done},
                       Key{"rejected", "scan/rejected", &f.rejected},
                       Key{"documents", "scan/documents", &f.documents},
                       Key{"exceptions", "scan/exceptions", &f.exceptions}}) {
    HUB_ASSIGN_OR_RETURN(std::string v, t.String(k.name, k.def));
    if (v.empty()) return t.Error(k.name, "must not be empty");
    *k.out = Resolve(data_dir, v);
  }
  if (f.staging == f.coversheets) {
    return t.Error("staging", "must differ from coversheets: a half-written batch is never seen");
  }
  for (const std::string* other : {&f.work, &f.done, &f.rejected}) {
    if (*other == f.inbox) {
      return t.Error("inbox", "work, done and rejected must each differ from inbox");
    }
  }
  return Status::Ok();
}

Status ReadAdapter(ConfigTable& t, ScanConfig& c) {
  ScanAdapterConfig& a = c.adapter;
  HUB_RETURN_IF_ERROR(ReadInt(t, "credit", &a.credit, 1, 1024));
  HUB_RETURN_IF_ERROR(ReadInt(t, "outbox_in_flight", &a.outbox_in_flight, 1, 10'000));
  HUB_RETURN_IF_ERROR(ReadInt(t, "outbox_timeout_ms", &a.outbox_timeout_ms, 100, 3'600'000));
  HUB_RETURN_IF_ERROR(ReadInt(t, "poll_ms", &a.poll_ms, 10, 600'000));
  HUB_RETURN_IF_ERROR(ReadInt(t, "waiting_soft_limit", &a.waiting_soft_limit, 1, 10'000'000));
  HUB_RETURN_IF_ERROR(ReadInt(t, "waiting_hard_limit", &a.waiting_hard_limit, 1, 10'000'000));
  if (a.waiting_soft_limit > a.waiting_hard_limit) {
    return t.Error("waiting_soft_limit", "must not be above waiting_hard_limit");
  }
  return Status::Ok();
}

Result<ScanConfig> ParseTable(const toml::table& root, const std::string& origin,
                              const std::string& data_dir) {
  ScanConfig c;
  c.config_path = origin;
  c.data_dir = data_dir;
  ConfigTable top(root, origin);
  HUB_RETURN_IF_ERROR(Section(top, "trust", [&](ConfigTable& t) { return ReadTrust(t, c); }));
  HUB_RETURN_IF_ERROR(
      Section(top, "coversheet", [&](ConfigTable& t) { return ReadCoversheet(t, c); }));
  HUB_RETURN_IF_ERROR(Section(top, "batch", [&](ConfigTable& t) { return ReadBatch(t, c); }));
  HUB_RETURN_IF_ERROR(Section(top, "intake", [&](ConfigTable& t) { return ReadIntake(t, c); }));
  HUB_RETURN_IF_ERROR(Section(top, "chase", [&](ConfigTable& t) { return ReadChase(t, c); }));
  HUB_RETURN_IF_ERROR(
      Section(top, "folders", [&](ConfigTable& t) { return ReadFolders(t, c, data_dir); }));
  HUB_RETURN_IF_ERROR(Section(top, "adapter", [&](ConfigTable& t) { return ReadAdapter(t, c); }));
  HUB_RETURN_IF_ERROR(top.Finish());
  return c;
}

}  // namespace

Result<ScanConfig> LoadScanConfig(const std::string& path, const std::string& data_dir) {
  HUB_ASSIGN_OR_RETURN(auto root, ParseTomlFile(path));
  return ParseTable(*root, path, data_dir);
}

Result<ScanConfig> ParseScanConfig(const std::string& text, const std::string& origin,
                                   const std::string& data_dir) {
  HUB_ASSIGN_OR_RETURN(auto root, ParseTomlText(text, origin));
  return ParseTable(*root, origin, data_dir);
}

}  // namespace hub::scan
