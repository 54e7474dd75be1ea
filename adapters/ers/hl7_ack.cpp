// ACK construction (HL7 v2.5 §2.9.2 original acknowledgment rules; MSA, ERR segments).
#include "adapters/ers/hl7_ack.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <chrono>
#include <vector>

namespace hub::ers {
namespace {

// Joins parts with `sep`, dropping trailing empty parts. A '\0' separator (not declared by the
// message) keeps only the first part.
std::string JoinParts(const std::vector<std::string>& parts, char sep) {
  std::size_t n = parts.size();
  while (n > 0 && parts[n - 1].empty()) --n;
  if (sep == '\0') n = n > 0 ? 1 : 0;
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out.push_back(sep);
    out += parts[i];
  }
  return out;
}

std::string Number(int n) { return n > 0 ? std::to_string(n) : std::string(); }

// True for 2.1-2.4, whose ERR segment has only ERR-1 (error code and location).
bool IsBefore25(std::string_view version) {
  return version.size() >= 3 && version[0] == '2' && version[2] < '5';
}

}  // namespace

std::string FormatHl7Timestamp(std::int64_t utc_ms) {
  using std::chrono::seconds;
  static const date::time_zone* london = date::locate_zone("Europe/London");
  const date::sys_seconds utc = date::floor<seconds>(
      date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(utc_ms)));
  const date::sys_info info = london->get_info(utc);
  const auto local = utc + info.offset;
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<seconds> time(local - day);
  const auto offset_minutes = std::chrono::duration_cast<std::chrono::minutes>(info.offset).count();
  const long long abs_offset = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}{}{:02}{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count(),
                     offset_minutes < 0 ? '-' : '+', abs_offset / 60, abs_offset % 60);
}

std::string BuildAck(const Hl7Message* original, AckCode code, std::span<const Hl7Error> errors,
                     const AckOptions& options) {
  const Hl7Separators seps = original != nullptr ? original->separators() : Hl7Separators{};
  const char fs = seps.field;
  auto esc = [&](std::string_view text) { return Hl7Escape(text, seps); };

  std::string sending_app = esc(options.application);
  std::string sending_facility = esc(options.facility);
  std::string receiving_app;
  std::string receiving_facility;
  std::string trigger;
  std::string control_id;
  std::string processing_id = "P";
  std::string version = "2.5";
  if (original != nullptr) {
    const Hl7Segment& msh = original->header();
    if (!msh.RawField(5).empty()) sending_app = std::string(msh.RawField(5));
    if (!msh.RawField(6).empty()) sending_facility = std::string(msh.RawField(6));
    receiving_app = std::string(msh.RawField(3));
    receiving_facility = std::string(msh.RawField(4));
    trigger = esc(original->TriggerEvent());
    control_id = esc(original->ControlId());
    if (!original->ProcessingId().empty()) processing_id = esc(original->ProcessingId());
    if (IsHl7V2Version(original->VersionId())) version = original->VersionId();
  }
  const std::string message_type =
      trigger.empty() ? std::string("ACK") : JoinParts({"ACK", trigger, "ACK"}, seps.component);

  std::string out;
  out.reserve(256);
  out += "MSH";
  out += fs;
  out += seps.EncodingCharacters();
  for (const std::string* field :
       {&sending_app, &sending_facility, &receiving_app, &receiving_facility}) {
    out += fs;
    out += *field;
  }
  out +=
      fmt::format("{0}{1}{0}{0}{2}{0}{3}{0}{4}{0}{5}\r", fs, FormatHl7Timestamp(options.now_utc_ms),
                  message_type, esc(options.control_id), processing_id, version);

  out += fmt::format("MSA{0}{1}{0}{2}", fs, AckCodeName(code), control_id);
  if (!errors.empty()) out += fmt::format("{}{}", fs, esc(errors.front().message));
  out += '\r';

  const bool legacy_err = IsBefore25(version);
  for (const Hl7Error& error : errors) {
    const Hl7Location& loc = error.location;
    const std::string code_number = std::to_string(static_cast<int>(error.code));
    const std::string code_text = esc(Hl7ErrorCodeText(error.code));
    std::string err1;
    if (legacy_err) {
      err1 = JoinParts({esc(loc.segment), Number(loc.sequence), Number(loc.field),
                        JoinParts({code_number, code_text, "HL70357"}, seps.subcomponent)},
                       seps.component);
    }
    std::string err2;
    if (!loc.segment.empty()) {
      err2 = JoinParts({esc(loc.segment), Number(loc.sequence), Number(loc.field),
                        Number(loc.repetition), Number(loc.component), Number(loc.subcomponent)},
                       seps.component);
    }
    const std::string err3 = JoinParts({code_number, code_text, "HL70357"}, seps.component);
    out += fmt::format("ERR{0}{1}{0}{2}{0}{3}{0}E{0}{0}{0}{0}{4}\r", fs, err1, err2, err3,
                       esc(error.message));
  }
  return out;
}

std::string BuildAcceptAck(const Hl7Message& original, const AckOptions& options) {
  return BuildAck(&original, AckCode::kAccept, {}, options);
}

std::string BuildErrorAck(const Hl7Message* original, const Hl7Error& error,
                          const AckOptions& options) {
  return BuildAck(original, error.ack, std::span<const Hl7Error>(&error, 1), options);
}

}  // namespace hub::ers
