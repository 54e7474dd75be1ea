// Strict reading of TOML configuration (HOUSE_STYLE §15): every key is read through a
// ConfigTable, which remembers which keys it handed out; Finish() turns any key nobody asked for
// into an error naming the file, line and key, so a typo never silently falls back to a default.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hub/common/status.hpp"

namespace hub {

// Parses a TOML file; the error names the file, line and column.
Result<std::shared_ptr<toml::table>> ParseTomlFile(const std::string& path);
// Parses TOML text; `origin` is used in error messages in place of a file name.
Result<std::shared_ptr<toml::table>> ParseTomlText(const std::string& text,
                                                   const std::string& origin);

// A view of one table. Not thread-safe. `root` must outlive the ConfigTable.
class ConfigTable {
 public:
  ConfigTable(const toml::table& table, std::string file, std::string path = "");

  // Each getter returns the default when the key is absent and an error when it is present with
  // the wrong type (or out of range for the checked variants).
  Result<std::int64_t> Int(const std::string& key, std::int64_t def);
  Result<std::int64_t> IntInRange(const std::string& key, std::int64_t def, std::int64_t min,
                                  std::int64_t max);
  Result<double> Double(const std::string& key, double def);
  Result<bool> Bool(const std::string& key, bool def);
  Result<std::string> String(const std::string& key, const std::string& def);
  // A required string: absent is an error.
  Result<std::string> RequiredString(const std::string& key);
  Result<std::vector<std::string>> StringList(const std::string& key,
                                              const std::vector<std::string>& def);
  Result<std::vector<std::int64_t>> IntList(const std::string& key,
                                            const std::vector<std::int64_t>& def);
  // A sub-table, or nullopt when absent. An error when `key` is present but not a table.
  Result<std::optional<ConfigTable>> Table(const std::string& key);
  // An array of tables ([[key]]); empty when absent.
  Result<std::vector<ConfigTable>> TableArray(const std::string& key);
  bool Has(const std::string& key) const;

  // Error for every key present in the table that no getter asked for.
  Status Finish() const;

  // "file:line: key 'path.key': <what>" for callers that validate values themselves.
  Status Error(const std::string& key, const std::string& what) const;
  const std::string& file() const { return file_; }

 private:
  const toml::node* Get(const std::string& key);
  std::string Where(const toml::node* node) const;
  std::string KeyPath(const std::string& key) const;

  const toml::table* table_;
  std::string file_;
  std::string path_;
  std::set<std::string> used_;
};

}  // namespace hub
