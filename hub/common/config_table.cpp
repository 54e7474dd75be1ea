// Strict TOML configuration reading.
#include "hub/common/config_table.hpp"

#include <fmt/format.h>

namespace hub {

namespace {
// toml++ is built with exceptions in Debian; this is the one place they are caught and turned
// into a Status (start-up only, never on the message path).
template <typename ParseFn>
Result<std::shared_ptr<toml::table>> ParseWith(ParseFn&& parse, const std::string& origin) {
  try {
    return std::make_shared<toml::table>(parse());
  } catch (const toml::parse_error& err) {
    return Status::InvalidArgument(fmt::format("{}:{}:{}: {}", origin, err.source().begin.line,
                                               err.source().begin.column, err.description()));
  }
}
}  // namespace

Result<std::shared_ptr<toml::table>> ParseTomlFile(const std::string& path) {
  return ParseWith([&] { return toml::parse_file(path); }, path);
}

Result<std::shared_ptr<toml::table>> ParseTomlText(const std::string& text,
                                                   const std::string& origin) {
  return ParseWith([&] { return toml::parse(text, origin); }, origin);
}

ConfigTable::ConfigTable(const toml::table& table, std::string file, std::string path)
    : table_(&table), file_(std::move(file)), path_(std::move(path)) {}

const toml::node* ConfigTable::Get(const std::string& key) {
  used_.insert(key);
  return table_->get(key);
}

bool ConfigTable::Has(const std::string& key) const { return table_->contains(key); }

std::string ConfigTable::KeyPath(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

std::string ConfigTable::Where(const toml::node* node) const {
  auto line = node ? node->source().begin.line : table_->source().begin.line;
  return fmt::format("{}:{}", file_, line);
}

Status ConfigTable::Error(const std::string& key, const std::string& what) const {
  return Status::InvalidArgument(
      fmt::format("{}: key '{}': {}", Where(table_->get(key)), KeyPath(key), what), KeyPath(key));
}

Result<std::int64_t> ConfigTable::Int(const std::string& key, std::int64_t def) {
  const toml::node* n = Get(key);
  if (!n) return def;
  if (auto v = n->value<std::int64_t>(); v && n->is_integer()) return *v;
  return Error(key, "expected an integer");
}

Result<std::int64_t> ConfigTable::IntInRange(const std::string& key, std::int64_t def,
                                             std::int64_t min, std::int64_t max) {
  HUB_ASSIGN_OR_RETURN(auto v, Int(key, def));
  if (v < min || v > max) {
    return Error(key, fmt::format("{} is outside the allowed range {}..{}", v, min, max));
  }
  return v;
}

Result<double> ConfigTable::Double(const std::string& key, double def) {
  const toml::node* n = Get(key);
  if (!n) return def;
  if (n->is_floating_point() || n->is_integer()) return *n->value<double>();
  return Error(key, "expected a number");
}

Result<bool> ConfigTable::Bool(const std::string& key, bool def) {
  const toml::node* n = Get(key);
  if (!n) return def;
  if (n->is_boolean()) return *n->value<bool>();
  return Error(key, "expected true or false");
}

Result<std::string> ConfigTable::String(const std::string& key, const std::string& def) {
  const toml::node* n = Get(key);
  if (!n) return def;
  if (n->is_string()) return *n->value<std::string>();
  return Error(key, "expected a string");
}

Result<std::string> ConfigTable::RequiredString(const std::string& key) {
  if (!Has(key)) {
    used_.insert(key);
    return Status::InvalidArgument(
        fmt::format("{}: missing required key '{}'", Where(nullptr), KeyPath(key)), KeyPath(key));
  }
  return String(key, "");
}

Result<std::vector<std::string>> ConfigTable::StringList(const std::string& key,
                                                         const std::vector<std::string>& def) {
  const toml::node* n = Get(key);
  if (!n) return def;
  const toml::array* arr = n->as_array();
  if (!arr) return Error(key, "expected an array of strings");
  std::vector<std::string> out;
  for (const auto& e : *arr) {
    if (!e.is_string()) return Error(key, "expected an array of strings");
    out.push_back(*e.value<std::string>());
  }
  return out;
}

Result<std::vector<std::int64_t>> ConfigTable::IntList(const std::string& key,
                                                       const std::vector<std::int64_t>& def) {
  const toml::node* n = Get(key);
  if (!n) return def;
  const toml::array* arr = n->as_array();
  if (!arr) return Error(key, "expected an array of integers");
  std::vector<std::int64_t> out;
  for (const auto& e : *arr) {
    if (!e.is_integer()) return Error(key, "expected an array of integers");
    out.push_back(*e.value<std::int64_t>());
  }
  return out;
}

Result<std::optional<ConfigTable>> ConfigTable::Table(const std::string& key) {
  const toml::node* n = Get(key);
  if (!n) return std::optional<ConfigTable>();
  const toml::table* t = n->as_table();
  if (!t) return Error(key, "expected a table");
  return std::optional<ConfigTable>(ConfigTable(*t, file_, KeyPath(key)));
}

Result<std::vector<ConfigTable>> ConfigTable::TableArray(const std::string& key) {
  const toml::node* n = Get(key);
  std::vector<ConfigTable> out;
  if (!n) return out;
  const toml::array* arr = n->as_array();
  if (!arr) return Error(key, "expected an array of tables ([[" + KeyPath(key) + "]])");
  std::size_t i = 0;
  for (const auto& e : *arr) {
    const toml::table* t = e.as_table();
    if (!t) return Error(key, "expected an array of tables ([[" + KeyPath(key) + "]])");
    out.emplace_back(*t, file_, fmt::format("{}[{}]", KeyPath(key), i++));
  }
  return out;
}

Status ConfigTable::Finish() const {
  for (const auto& [k, node] : *table_) {
    std::string key(k.str());
    if (!used_.count(key)) {
      return Status::InvalidArgument(
          fmt::format("{}: unknown key '{}'{}", Where(&node), KeyPath(key),
                      path_.empty() ? "" : " in [" + path_ + "]"),
          KeyPath(key));
    }
  }
  return Status::Ok();
}

}  // namespace hub
