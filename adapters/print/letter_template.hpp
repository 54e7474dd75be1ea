// Letter templates (config/letters/<kind>.txt): plain text with named fields, filled in by fmt's
// named arguments. A field a template uses that the letter lacks is an error naming both, never
// a blank in a patient's letter.
//
// File grammar:
//   file    := header blank-line body
//   header  := { "#" comment-text | key ": " value } -- one per line
//   key     := "Subject"                -- required: the bold heading above the body
//            | "Appointment-Heading"    -- optional: print the appointment box under this
//                                          heading; the letter must then carry an appointment
//            | "Extra-Fields"           -- optional: comma-separated names of extra fields
//   body    := text printed as written: each line is a line of the letter, long lines wrap to
//              the page width, blank lines separate paragraphs, and a line starting "## " is
//              printed (without the marker) as a bold heading kept with the line after it
// Subject and body are fmt format strings: "{patient_name}" is a field, "{{" and "}}" are
// literal braces, "{appointment_time:>8}" takes an fmt format spec. Positional "{}" is refused.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/print/letter.hpp"
#include "hub/common/status.hpp"

namespace hub::print {

struct FieldUse {
  std::string name;
  int line = 0;  // 1-based line in the template file
};

struct LetterTemplate {
  LetterKind kind = LetterKind::kUnspecified;
  std::string origin;  // file path, for error messages
  std::string subject;
  std::string appointment_heading;  // empty: the letter has no appointment box
  std::vector<std::string> extra_fields;
  std::string body;
  std::vector<FieldUse> fields;  // every field the subject and body use, first use only
};

struct FilledTemplate {
  std::string subject;
  std::string appointment_heading;
  std::string body;
};

// Parses a template. Errors name `origin` and the line: an unknown header key, a missing
// Subject, a field that is neither standard (StandardFieldNames) nor declared in Extra-Fields,
// a positional field, or a format spec fmt refuses.
Result<LetterTemplate> ParseLetterTemplate(std::string_view text, LetterKind kind,
                                           const std::string& origin);

// Fills subject and body from `fields` (LetterFields). A used field that is absent is
// InvalidArgument whose message names the field, the letter kind and the template file, and
// whose field() is the request member to supply ("consultant", "fields.ward").
Result<FilledTemplate> FillTemplate(const LetterTemplate& tmpl,
                                    const std::map<std::string, std::string>& fields);

// The request member (or config key) a template field comes from, for error replies.
std::string FieldSource(std::string_view field_name);

// One template per letter kind, loaded from a folder at start-up. Immutable once loaded, so it
// may be shared between threads.
class TemplateSet {
 public:
  // Every kind must have <dir>/<kind>.txt; any other *.txt file in `dir` is an error too (a
  // misspelt file name would otherwise be silently ignored).
  static Result<TemplateSet> Load(const std::string& dir);
  // The template of `kind`, or nullptr for kUnspecified.
  const LetterTemplate* Find(LetterKind kind) const;

 private:
  std::map<LetterKind, LetterTemplate> templates_;
};

}  // namespace hub::print
