// HL7 v2 ER7 parsing (HL7 v2.5 chapter 2: §2.5 message construction, §2.7 escape sequences).
#include "adapters/ers/hl7_message.hpp"

#include <fmt/format.h>

#include <array>
#include <limits>
#include <unordered_map>

namespace hub::ers {
namespace {

bool IsNewline(char c) { return c == '\r' || c == '\n'; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// A character usable as a delimiter: printable ASCII punctuation (HL7 v2.5 §2.5.4 recommends
// |^~\&; anything alphanumeric, blank or non-ASCII would be ambiguous with data).
bool IsDelimiterChar(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u < 0x21 || u > 0x7e) return false;
  return !((u >= '0' && u <= '9') || (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z'));
}

// The n-th (1-based) part of `s` split at `sep`; "" when there are fewer parts. A '\0'
// separator is "not declared": the whole text is part 1.
std::string_view Part(std::string_view s, char sep, int n) {
  if (n < 1) return {};
  if (sep == '\0') return n == 1 ? s : std::string_view();
  std::size_t start = 0;
  for (int i = 1; i < n; ++i) {
    std::size_t p = s.find(sep, start);
    if (p == std::string_view::npos) return {};
    start = p + 1;
  }
  std::size_t end = s.find(sep, start);
  return s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

int PartCount(std::string_view s, char sep) {
  if (s.empty()) return 0;
  if (sep == '\0') return 1;
  int n = 1;
  for (char c : s) n += (c == sep) ? 1 : 0;
  return n;
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Up to `max` bytes of `s` for an error message, with non-printable bytes as \xNN.
std::string Snippet(std::string_view s, std::size_t max = 24) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max; ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u < 0x7f) {
      out.push_back(s[i]);
    } else {
      out += fmt::format("\\x{:02X}", u);
    }
  }
  if (s.size() > max) out += "...";
  return out;
}

// `bytes` without a leading UTF-8 byte-order mark (files saved by Windows editors), blanks and
// blank lines.
std::string_view SkipLeadingSpace(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  while (!bytes.empty() && (IsNewline(bytes.front()) || IsBlank(bytes.front()))) {
    bytes.remove_prefix(1);
  }
  return bytes;
}

bool IsSegmentId(std::string_view name) {
  if (name.size() != 3) return false;
  if (name[0] < 'A' || name[0] > 'Z') return false;
  for (std::size_t i = 1; i < 3; ++i) {
    char c = name[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

Hl7Error Reject(Hl7ErrorCode code, Hl7Location location, std::string message) {
  return Hl7Error{AckCode::kReject, code, std::move(location), std::move(message)};
}

}  // namespace

bool IsHl7V2Version(std::string_view version) {
  if (version.size() < 3 || version[0] != '2' || version[1] != '.') return false;
  if (version[2] < '1' || version[2] > '9') return false;
  if (version.size() == 3) return true;
  if (version[3] != '.' || version.size() == 4) return false;
  for (char c : version.substr(4)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string Hl7Separators::EncodingCharacters() const {
  std::string out;
  for (char c : {component, repetition, escape, subcomponent, truncation}) {
    if (c == '\0') break;
    out.push_back(c);
  }
  return out;
}

std::string Hl7Unescape(std::string_view text, const Hl7Separators& seps) {
  const char esc = seps.escape;
  if (esc == '\0' || text.find(esc) == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != esc) {
      out.push_back(c);
      ++i;
      continue;
    }
    std::size_t close = text.find(esc, i + 1);
    if (close == std::string_view::npos) {  // unterminated: keep as written
      out.append(text.substr(i));
      break;
    }
    std::string_view seq = text.substr(i + 1, close - i - 1);
    std::string_view whole = text.substr(i, close - i + 1);
    i = close + 1;
    if (seq == "F") {
      out.push_back(seps.field);
    } else if (seq == "S") {
      out.push_back(seps.component);
    } else if (seq == "T") {
      out.push_back(seps.subcomponent);
    } else if (seq == "R" && seps.repetition != '\0') {
      out.push_back(seps.repetition);
    } else if (seq == "E") {
      out.push_back(esc);
    } else if (seq == "P" && seps.truncation != '\0') {
      out.push_back(seps.truncation);
    } else if (seq == ".br" || seq.starts_with(".sp")) {
      out.push_back('\n');
    } else if (seq == "H" || seq == "N" || seq.starts_with(".") ||
               (!seq.empty() && (seq[0] == 'C' || seq[0] == 'M'))) {
      // Highlighting, formatting and character-set switches carry no data for us.
    } else if (seq.size() >= 3 && seq[0] == 'X' && (seq.size() - 1) % 2 == 0) {
      std::string bytes;
      bool valid = true;
      for (std::size_t k = 1; k + 1 < seq.size(); k += 2) {
        int hi = HexValue(seq[k]);
        int lo = HexValue(seq[k + 1]);
        if (hi < 0 || lo < 0) {
          valid = false;
          break;
        }
        bytes.push_back(static_cast<char>(hi * 16 + lo));
      }
      out += valid ? bytes : std::string(whole);
    } else {
      out.append(whole);
    }
  }
  return out;
}

std::string Hl7Escape(std::string_view text, const Hl7Separators& seps) {
  std::string out;
  out.reserve(text.size());
  const bool can_escape = seps.escape != '\0';
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    const char* name = nullptr;
    if (c == seps.field) {
      name = "F";
    } else if (c == seps.component && c != '\0') {
      name = "S";
    } else if (c == seps.subcomponent && c != '\0') {
      name = "T";
    } else if (c == seps.repetition && c != '\0') {
      name = "R";
    } else if (c == seps.escape && c != '\0') {
      name = "E";
    } else if (c == seps.truncation && c != '\0') {
      name = "P";
    } else if (c == '\n') {
      name = ".br";
    }
    if (name != nullptr) {
      if (can_escape) {
        out.push_back(seps.escape);
        out += name;
        out.push_back(seps.escape);
      } else {
        out.push_back(' ');
      }
    } else if (u < 0x20 || u == 0x7f) {
      if (can_escape) {
        out += fmt::format("{}X{:02X}{}", seps.escape, u, seps.escape);
      } else {
        out.push_back(' ');
      }
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Hl7Segment::Hl7Segment(std::string text, std::vector<Span> spans, const Hl7Separators& separators,
                       int index, int sequence)
    : text_(std::move(text)),
      spans_(std::move(spans)),
      separators_(separators),
      index_(index),
      sequence_(sequence) {}

std::string_view Hl7Segment::RawField(int field) const {
  if (field < 1 || field > field_count()) return {};
  return RawPart(static_cast<std::size_t>(field));
}

int Hl7Segment::RepetitionCount(int field) const {
  std::string_view raw = RawField(field);
  if (name() == "MSH" && field <= 2) return raw.empty() ? 0 : 1;
  return PartCount(raw, separators_.repetition);
}

int Hl7Segment::ComponentCount(int field, int repetition) const {
  std::string_view raw = RawField(field);
  if (name() == "MSH" && field <= 2) return (raw.empty() || repetition != 1) ? 0 : 1;
  return PartCount(Part(raw, separators_.repetition, repetition), separators_.component);
}

std::string Hl7Segment::Get(int field, int repetition, int component, int subcomponent) const {
  std::string_view raw = RawField(field);
  if (name() == "MSH" && field <= 2) {
    // MSH-1 and MSH-2 are the delimiters themselves: never split or unescaped.
    return (repetition == 1 && component == 1 && subcomponent == 1) ? std::string(raw)
                                                                    : std::string();
  }
  std::string_view rep = Part(raw, separators_.repetition, repetition);
  std::string_view comp = Part(rep, separators_.component, component);
  std::string_view sub = TrimBlanks(Part(comp, separators_.subcomponent, subcomponent));
  if (sub == "\"\"") return {};
  return Hl7Unescape(sub, separators_);
}

std::string Hl7Segment::GetJoined(int field, int repetition, int component) const {
  std::string_view raw = RawField(field);
  if (name() == "MSH" && field <= 2) return Get(field, repetition, component);
  std::string_view comp =
      Part(Part(raw, separators_.repetition, repetition), separators_.component, component);
  std::string out;
  int n = PartCount(comp, separators_.subcomponent);
  for (int i = 1; i <= n; ++i) {
    std::string value = Get(field, repetition, component, i);
    if (value.empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out += value;
  }
  return out;
}

Hl7Location Hl7Segment::Location(int field, int repetition, int component, int subcomponent) const {
  return Hl7Location{std::string(name()), sequence_, field, repetition, component, subcomponent};
}

Hl7Result<Hl7Message> Hl7Message::Parse(std::string_view bytes) {
  return ParseImpl(bytes, /*header_only=*/false);
}

Hl7Result<Hl7Message> Hl7Message::ParseHeader(std::string_view bytes) {
  return ParseImpl(bytes, /*header_only=*/true);
}

Hl7Result<Hl7Message> Hl7Message::ParseImpl(std::string_view bytes, bool header_only) {
  std::string_view rest = SkipLeadingSpace(bytes);
  const Hl7Location msh{"MSH", 1};
  auto msh_field = [](int field) { return Hl7Location{"MSH", 1, field}; };

  if (rest.empty()) {
    return Reject(Hl7ErrorCode::kSegmentSequenceError, msh,
                  "MSH segment missing: the message is empty");
  }
  if (!rest.starts_with("MSH")) {
    return Reject(Hl7ErrorCode::kSegmentSequenceError, msh,
                  fmt::format("MSH segment missing: a message must begin with 'MSH', this one "
                              "begins '{}'",
                              Snippet(rest, 12)));
  }
  if (rest.size() < 4 || IsNewline(rest[3])) {
    return Reject(Hl7ErrorCode::kRequiredFieldMissing, msh_field(1),
                  "MSH-1 (field separator) is missing: MSH must be followed by it, as in 'MSH|'");
  }
  const char fs = rest[3];
  if (!IsDelimiterChar(fs)) {
    return Reject(Hl7ErrorCode::kDataTypeError, msh_field(1),
                  fmt::format("MSH-1 field separator '{}' is not usable: it must be a printable "
                              "punctuation character such as '|'",
                              Snippet(std::string_view(&rest[3], 1))));
  }
  std::size_t enc_end = 4;
  while (enc_end < rest.size() && rest[enc_end] != fs && !IsNewline(rest[enc_end])) ++enc_end;
  std::string_view enc = rest.substr(4, enc_end - 4);
  if (enc.empty()) {
    return Reject(Hl7ErrorCode::kRequiredFieldMissing, msh_field(2),
                  "MSH-2 (encoding characters) is empty: expected e.g. '^~\\&'");
  }
  bool enc_ok = enc.size() <= 5;
  for (std::size_t i = 0; enc_ok && i < enc.size(); ++i) {
    enc_ok = IsDelimiterChar(enc[i]) && enc[i] != fs;
    for (std::size_t k = 0; enc_ok && k < i; ++k) enc_ok = enc[k] != enc[i];
  }
  if (!enc_ok) {
    return Reject(Hl7ErrorCode::kDataTypeError, msh_field(2),
                  fmt::format("MSH-2 encoding characters '{}' are not usable: expected up to 5 "
                              "distinct punctuation characters other than '{}', e.g. '^~\\&'",
                              Snippet(enc), fs));
  }
  Hl7Separators seps;
  seps.field = fs;
  std::array<char*, 5> slots = {&seps.component, &seps.repetition, &seps.escape, &seps.subcomponent,
                                &seps.truncation};
  for (std::size_t i = 0; i < slots.size(); ++i) *slots[i] = i < enc.size() ? enc[i] : '\0';

  std::vector<Hl7Segment> segments;
  std::unordered_map<std::string, int> occurrences;
  std::size_t pos = 0;
  while (pos < rest.size()) {
    std::size_t end = pos;
    while (end < rest.size() && !IsNewline(rest[end])) ++end;
    std::string_view line = rest.substr(pos, end - pos);
    pos = end;
    while (pos < rest.size() && IsNewline(rest[pos])) ++pos;
    if (TrimBlanks(line).empty()) continue;

    const int index = static_cast<int>(segments.size()) + 1;
    if (line.size() > std::numeric_limits<std::uint32_t>::max()) {
      return Reject(Hl7ErrorCode::kSegmentSequenceError, Hl7Location{},
                    fmt::format("segment {} is larger than 4 GiB", index));
    }
    std::vector<Hl7Segment::Span> spans;
    auto add = [&](std::size_t from, std::size_t to) {
      spans.push_back({static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to - from)});
    };
    std::size_t field_start = 0;
    if (index == 1) {
      // MSH: the id, MSH-1 (the separator itself), MSH-2 (the encoding characters), then the
      // fields after the next separator.
      add(0, 3);
      add(3, 4);
      add(4, 4 + enc.size());
      // Skip the separator after MSH-2; a bare "MSH|^~\&" has no more fields.
      field_start = 4 + enc.size() < line.size() ? 5 + enc.size() : std::string_view::npos;
    }
    while (field_start != std::string_view::npos) {
      std::size_t sep = line.find(fs, field_start);
      if (sep == std::string_view::npos) {
        add(field_start, line.size());
        break;
      }
      add(field_start, sep);
      field_start = sep + 1;
    }
    std::string_view name = line.substr(spans.front().offset, spans.front().size);
    if (!IsSegmentId(name)) {
      return Reject(Hl7ErrorCode::kSegmentSequenceError, Hl7Location{},
                    fmt::format("segment {} ('{}') has no 3-letter name: each segment must begin "
                                "with a 3-character id such as PID, then '{}'",
                                index, Snippet(line, 16), fs));
    }
    if (index > 1 && name == "MSH") {
      return Reject(Hl7ErrorCode::kSegmentSequenceError, Hl7Location{"MSH", 2},
                    fmt::format("segment {} is a second MSH: send one message per frame "
                                "(batches are not accepted)",
                                index));
    }
    const int sequence = ++occurrences[std::string(name)];
    segments.emplace_back(std::string(line), std::move(spans), seps, index, sequence);
    if (header_only) break;
  }
  return Hl7Message(seps, std::move(segments));
}

const Hl7Segment* Hl7Message::Find(std::string_view name, int sequence) const {
  for (const auto& s : segments_) {
    if (s.name() == name && s.sequence() == sequence) return &s;
  }
  return nullptr;
}

std::vector<const Hl7Segment*> Hl7Message::FindAll(std::string_view name) const {
  std::vector<const Hl7Segment*> out;
  for (const auto& s : segments_) {
    if (s.name() == name) out.push_back(&s);
  }
  return out;
}

std::vector<std::string_view> SplitHl7Messages(std::string_view bytes) {
  std::vector<std::string_view> messages;
  std::size_t message_start = std::string_view::npos;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::size_t end = pos;
    while (end < bytes.size() && !IsNewline(bytes[end])) ++end;
    std::string_view line = SkipLeadingSpace(bytes.substr(pos, end - pos));
    const bool batch_envelope = line.starts_with("FHS") || line.starts_with("BHS") ||
                                line.starts_with("BTS") || line.starts_with("FTS");
    if (line.starts_with("MSH") || batch_envelope) {
      if (message_start != std::string_view::npos) {
        messages.push_back(bytes.substr(message_start, pos - message_start));
      }
      message_start = batch_envelope ? std::string_view::npos : pos;
    } else if (message_start == std::string_view::npos && !line.empty()) {
      message_start = pos;  // text outside any message: let Parse report it
    }
    pos = end;
    while (pos < bytes.size() && IsNewline(bytes[pos])) ++pos;
  }
  if (message_start != std::string_view::npos) messages.push_back(bytes.substr(message_start));
  return messages;
}

}  // namespace hub::ers
