// Letter templates: parsing the header, finding the fields, filling them with fmt.
#include "adapters/print/letter_template.hpp"

#include <fmt/args.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace hub::print {

namespace fs = std::filesystem;

namespace {

bool IsFieldName(std::string_view name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string Trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

Status TemplateError(const std::string& origin, int line, const std::string& what) {
  return Status::InvalidArgument(fmt::format("{}:{}: {}", origin, line, what));
}

// Finds the replacement fields of an fmt format string, with the line each is on. This only
// locates names for validation; fmt itself does the formatting.
Status ScanFields(std::string_view text, int first_line, const std::string& origin,
                  std::vector<FieldUse>* out) {
  int line = first_line;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      continue;
    }
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        ++i;
        continue;
      }
      return TemplateError(origin, line, "a lone '}' (write '}}' for a literal brace)");
    }
    if (c != '{') continue;
    if (i + 1 < text.size() && text[i + 1] == '{') {
      ++i;
      continue;
    }
    std::size_t close = text.find_first_of("{}\n", i + 1);
    if (close == std::string_view::npos || text[close] != '}') {
      return TemplateError(
          origin, line,
          "a '{' that does not close on the same line (write '{{' for a literal brace)");
    }
    std::string_view inside = text.substr(i + 1, close - i - 1);
    std::string_view name = inside.substr(0, inside.find_first_of(":!"));
    if (name.empty()) {
      return TemplateError(origin, line, "an unnamed field '{}': every field must be named");
    }
    if (!IsFieldName(name)) {
      return TemplateError(
          origin, line,
          fmt::format("'{{{}}}' is not a field name (lower case letters, digits, '_')", inside));
    }
    bool seen =
        std::any_of(out->begin(), out->end(), [&](const FieldUse& f) { return f.name == name; });
    if (!seen) out->push_back({std::string(name), line});
    i = close;
  }
  return Status::Ok();
}

Result<std::string> Format(std::string_view format, const std::vector<FieldUse>& used,
                           const std::map<std::string, std::string>& fields) {
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  for (const auto& f : used) {
    auto it = fields.find(f.name);
    store.push_back(fmt::arg(f.name.c_str(), it == fields.end() ? std::string() : it->second));
  }
  // fmt reports a bad format spec by throwing; this is the boundary where it becomes a value.
  try {
    return fmt::vformat(fmt::string_view(format.data(), format.size()), store);
  } catch (const fmt::format_error& e) {
    return Status::InvalidArgument(e.what());
  }
}

std::vector<std::string> SplitCommaList(std::string_view value) {
  std::vector<std::string> out;
  std::stringstream ss{std::string(value)};
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = Trim(item);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

std::string FieldSource(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> sources = {
      {"recipient_name", "recipient.name"},
      {"trust_name", "print.toml [trust] name"},
      {"trust_phone", "print.toml [trust] phone"},
      {"website", "print.toml [trust] website"},
      {"booking_phone", "print.toml [contact] booking_phone"},
      {"booking_hours", "print.toml [contact] booking_hours"},
      {"booking_email", "print.toml [contact] booking_email"},
  };
  if (auto it = sources.find(name); it != sources.end()) return it->second;
  const auto& standard = StandardFieldNames();
  if (std::binary_search(standard.begin(), standard.end(), std::string(name))) {
    return std::string(name);
  }
  return "fields." + std::string(name);
}

Result<LetterTemplate> ParseLetterTemplate(std::string_view text, LetterKind kind,
                                           const std::string& origin) {
  LetterTemplate t;
  t.kind = kind;
  t.origin = origin;
  int line_no = 0;
  int subject_line = 0;
  std::size_t pos = 0;
  bool header_done = false;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, eol == std::string_view::npos ? text.size() - pos : eol - pos);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    ++line_no;
    if (Trim(line).empty()) {
      header_done = true;
      break;
    }
    if (line.front() == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      return TemplateError(
          origin, line_no,
          "expected 'Key: value' in the header (end the header with a blank line)");
    }
    std::string key = Trim(line.substr(0, colon));
    std::string value = Trim(line.substr(colon + 1));
    if (key == "Subject") {
      t.subject = value;
      subject_line = line_no;
    } else if (key == "Appointment-Heading") {
      t.appointment_heading = value;
    } else if (key == "Extra-Fields") {
      t.extra_fields = SplitCommaList(value);
      for (const auto& f : t.extra_fields) {
        if (!IsFieldName(f)) {
          return TemplateError(origin, line_no, fmt::format("'{}' is not a field name", f));
        }
      }
    } else {
      return TemplateError(origin, line_no,
                           fmt::format("unknown header key '{}' (expected Subject, "
                                       "Appointment-Heading or Extra-Fields)",
                                       key));
    }
  }
  if (!header_done)
    return TemplateError(origin, line_no, "no blank line after the header, so no body");
  if (t.subject.empty()) return TemplateError(origin, 1, "the header has no 'Subject:'");
  int body_first_line = line_no + 1;
  std::string_view body = text.substr(pos);
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) {
    body.remove_suffix(1);
  }
  t.body = std::string(body);
  if (t.body.empty()) return TemplateError(origin, body_first_line, "the body is empty");

  HUB_RETURN_IF_ERROR(ScanFields(t.subject, subject_line, origin, &t.fields));
  HUB_RETURN_IF_ERROR(ScanFields(t.body, body_first_line, origin, &t.fields));
  const auto& standard = StandardFieldNames();
  std::map<std::string, std::string> trial;
  for (const auto& f : t.fields) {
    bool known =
        std::binary_search(standard.begin(), standard.end(), f.name) ||
        std::find(t.extra_fields.begin(), t.extra_fields.end(), f.name) != t.extra_fields.end();
    if (!known) {
      return TemplateError(origin, f.line,
                           fmt::format("field '{}' is not a standard field and not declared in "
                                       "'Extra-Fields:'",
                                       f.name));
    }
    trial.emplace(f.name, std::string(1, 'x'));
  }
  // A format spec fmt refuses is found now, at start-up, not in the middle of a batch.
  for (const std::string* part : {&t.subject, &t.body}) {
    auto formatted = Format(*part, t.fields, trial);
    if (!formatted.ok()) {
      return TemplateError(origin, part == &t.subject ? subject_line : body_first_line,
                           "fmt refuses this text: " + formatted.status().message());
    }
  }
  return t;
}

Result<FilledTemplate> FillTemplate(const LetterTemplate& t,
                                    const std::map<std::string, std::string>& fields) {
  for (const auto& f : t.fields) {
    auto it = fields.find(f.name);
    if (it == fields.end() || it->second.empty()) {
      return Status::InvalidArgument(
          fmt::format("the {} letter template ({} line {}) uses field '{}', which this letter "
                      "does not have: supply {}",
                      LetterKindName(t.kind), t.origin, f.line, f.name, FieldSource(f.name)),
          FieldSource(f.name));
    }
  }
  FilledTemplate out;
  out.appointment_heading = t.appointment_heading;
  HUB_ASSIGN_OR_RETURN(out.subject, Format(t.subject, t.fields, fields));
  HUB_ASSIGN_OR_RETURN(out.body, Format(t.body, t.fields, fields));
  return out;
}

Result<TemplateSet> TemplateSet::Load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::InvalidArgument(
        fmt::format("{}: the letter templates folder does not exist", dir));
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".txt") continue;
    if (!LetterKindFromName(entry.path().stem().string())) {
      return Status::InvalidArgument(
          fmt::format("{}: '{}' is not a letter kind; template files are named after the kinds",
                      entry.path().string(), entry.path().stem().string()));
    }
  }
  if (ec) return Status::IOError(fmt::format("{}: {}", dir, ec.message()));
  TemplateSet set;
  for (LetterKind kind : AllLetterKinds()) {
    std::string path = (fs::path(dir) / (std::string(LetterKindName(kind)) + ".txt")).string();
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return Status::InvalidArgument(
          fmt::format("{}: missing template for letter kind '{}'", path, LetterKindName(kind)));
    }
    std::stringstream ss;
    ss << in.rdbuf();
    HUB_ASSIGN_OR_RETURN(auto t, ParseLetterTemplate(ss.str(), kind, path));
    set.templates_.emplace(kind, std::move(t));
  }
  return set;
}

const LetterTemplate* TemplateSet::Find(LetterKind kind) const {
  auto it = templates_.find(kind);
  return it == templates_.end() ? nullptr : &it->second;
}

}  // namespace hub::print
