// Letter requests: kinds, validation, display formatting and the template field map.
#include "adapters/print/letter.hpp"

#include <fmt/format.h>
#include <glib.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "hub/booking/calendar.hpp"
#include "hub/booking/nhs_number.hpp"

namespace hub::print {

namespace {

struct KindName {
  LetterKind kind;
  std::string_view name;
};
constexpr std::array<KindName, 11> kKindNames = {{
    {LetterKind::kAcknowledgement, "acknowledgement"},
    {LetterKind::kAppointment, "appointment"},
    {LetterKind::kReschedule, "reschedule"},
    {LetterKind::kCancellationByHospital, "cancellation_by_hospital"},
    {LetterKind::kCancellationByPatient, "cancellation_by_patient"},
    {LetterKind::kPartialBookingInvitation, "partial_booking_invitation"},
    {LetterKind::kPartialBookingReminder, "partial_booking_reminder"},
    {LetterKind::kDischargeToReferrer, "discharge_to_referrer"},
    {LetterKind::kDna, "dna"},
    {LetterKind::kDischarge, "discharge"},
    {LetterKind::kReferralReturned, "referral_returned"},
}};

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

bool IsLetterIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }

// Text printed on one line of a letter: valid UTF-8 with no control characters. Multi-line
// texts (reason, extra fields) may also contain '\n'.
Status CheckText(std::string_view text, const std::string& field, bool multi_line) {
  if (!g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) {
    return Status::InvalidArgument("is not valid UTF-8 text", field);
  }
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u == '\n' && multi_line) continue;
    if (u < 0x20 || u == 0x7f) {
      return Status::InvalidArgument(multi_line ? "contains a control character"
                                                : "contains a line break or control character",
                                     field);
    }
  }
  return Status::Ok();
}

std::string Trimmed(std::string_view s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(' ');
  return std::string(s.substr(b, e - b + 1));
}

std::string PostcodeCompact(std::string_view postcode) {
  std::string out;
  for (char c : postcode) {
    if (c == ' ') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

// UK postcode shape: outward code A9, A99, AA9, AA99, A9A or AA9A; inward code 9AA.
bool IsUkPostcode(std::string_view postcode) {
  std::string p = PostcodeCompact(postcode);
  if (p.size() < 5 || p.size() > 7) return false;
  std::string_view in = std::string_view(p).substr(p.size() - 3);
  std::string_view out = std::string_view(p).substr(0, p.size() - 3);
  if (!IsAsciiDigit(in[0]) || !IsAsciiUpper(in[1]) || !IsAsciiUpper(in[2])) return false;
  std::size_t i = 0;
  if (!IsAsciiUpper(out[i])) return false;
  ++i;
  if (i < out.size() && IsAsciiUpper(out[i])) ++i;
  if (i >= out.size() || !IsAsciiDigit(out[i])) return false;
  ++i;
  if (i < out.size() && (IsAsciiDigit(out[i]) || IsAsciiUpper(out[i]))) ++i;
  return i == out.size();
}

bool IsTime(std::string_view t) {
  if (t.size() != 5 || t[2] != ':' || !IsAsciiDigit(t[0]) || !IsAsciiDigit(t[1]) ||
      !IsAsciiDigit(t[3]) || !IsAsciiDigit(t[4])) {
    return false;
  }
  int h = (t[0] - '0') * 10 + (t[1] - '0');
  int m = (t[3] - '0') * 10 + (t[4] - '0');
  return h < 24 && m < 60;
}

bool IsFieldName(std::string_view name) {
  if (name.empty() || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || IsAsciiDigit(c) || c == '_'; });
}

Status CheckOptionalDate(const std::string& value, const std::string& field) {
  if (value.empty()) return Status::Ok();
  auto d = booking::ParseIsoDate(value, field);
  if (!d.ok()) return Status::InvalidArgument("is not an ISO date (YYYY-MM-DD)", field);
  return Status::Ok();
}

Status CheckOptionalTime(const std::string& value, const std::string& field) {
  if (value.empty() || IsTime(value)) return Status::Ok();
  return Status::InvalidArgument("is not a 24-hour time (HH:MM)", field);
}

std::string JoinLines(const std::vector<std::string>& lines, std::string_view sep) {
  std::string out;
  for (const auto& l : lines) {
    if (l.empty()) continue;
    if (!out.empty()) out += sep;
    out += l;
  }
  return out;
}

void PutIfPresent(std::map<std::string, std::string>& m, const std::string& key,
                  std::string value) {
  if (!value.empty()) m[key] = std::move(value);
}

}  // namespace

const std::vector<LetterKind>& AllLetterKinds() {
  static const std::vector<LetterKind> kinds = [] {
    std::vector<LetterKind> v;
    v.reserve(kKindNames.size());
    for (const auto& k : kKindNames) v.push_back(k.kind);
    return v;
  }();
  return kinds;
}

std::string_view LetterKindName(LetterKind kind) {
  for (const auto& k : kKindNames) {
    if (k.kind == kind) return k.name;
  }
  return "unspecified";
}

std::optional<LetterKind> LetterKindFromName(std::string_view name) {
  for (const auto& k : kKindNames) {
    if (k.name == name) return k.kind;
  }
  return std::nullopt;
}

std::string_view PostageName(Postage postage) {
  switch (postage) {
    case Postage::kFirst:
      return "first";
    case Postage::kSecond:
      return "second";
    case Postage::kEconomy:
      return "economy";
    case Postage::kUnspecified:
      break;
  }
  return "unspecified";
}

std::optional<Postage> PostageFromName(std::string_view name) {
  if (name == "first") return Postage::kFirst;
  if (name == "second") return Postage::kSecond;
  if (name == "economy") return Postage::kEconomy;
  return std::nullopt;
}

Status ValidateLetterRequest(const LetterRequest& r) {
  if (r.letter_id.empty() || r.letter_id.size() > 64 ||
      !std::all_of(r.letter_id.begin(), r.letter_id.end(), IsLetterIdChar)) {
    return Status::InvalidArgument("must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'",
                                   "letter_id");
  }
  if (r.kind == LetterKind::kUnspecified) {
    return Status::InvalidArgument("is not a known letter kind", "kind");
  }
  if (Trimmed(r.recipient.name).empty()) {
    return Status::InvalidArgument("is missing: a letter needs an addressee", "recipient.name");
  }
  HUB_RETURN_IF_ERROR(CheckText(r.recipient.name, "recipient.name", false));
  if (std::none_of(r.recipient.lines.begin(), r.recipient.lines.end(),
                   [](const std::string& l) { return !Trimmed(l).empty(); })) {
    return Status::InvalidArgument("has no address lines", "recipient.lines");
  }
  for (std::size_t i = 0; i < r.recipient.lines.size(); ++i) {
    HUB_RETURN_IF_ERROR(
        CheckText(r.recipient.lines[i], fmt::format("recipient.lines[{}]", i), false));
  }
  auto used_lines = static_cast<std::size_t>(
      std::count_if(r.recipient.lines.begin(), r.recipient.lines.end(),
                    [](const std::string& l) { return !Trimmed(l).empty(); }));
  if (used_lines > kMaxAddressLines) {
    return Status::InvalidArgument(
        fmt::format("has {} lines; an address has at most {} between the name and the postcode",
                    used_lines, kMaxAddressLines),
        "recipient.lines");
  }
  if (r.recipient.postcode.empty()) {
    return Status::InvalidArgument("is missing", "recipient.postcode");
  }
  if (!IsUkPostcode(r.recipient.postcode)) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a UK postcode (e.g. LS1 3EX)", r.recipient.postcode),
        "recipient.postcode");
  }
  if (r.nhs_number.empty()) return Status::InvalidArgument("is missing", "nhs_number");
  if (auto n = booking::NormaliseNhsNumber(r.nhs_number); !n.ok()) {
    return Status::InvalidArgument(n.status().message(), "nhs_number");
  }
  if (Trimmed(r.patient_name).empty()) {
    return Status::InvalidArgument("is missing: every letter names its patient", "patient_name");
  }
  HUB_RETURN_IF_ERROR(CheckText(r.patient_name, "patient_name", false));
  HUB_RETURN_IF_ERROR(CheckText(r.mrn, "mrn", false));
  HUB_RETURN_IF_ERROR(CheckOptionalDate(r.date_of_birth, "date_of_birth"));
  HUB_RETURN_IF_ERROR(CheckText(r.clinic_name, "clinic_name", false));
  HUB_RETURN_IF_ERROR(CheckText(r.consultant, "consultant", false));
  HUB_RETURN_IF_ERROR(CheckText(r.site, "site", false));
  HUB_RETURN_IF_ERROR(CheckOptionalDate(r.appointment_date, "appointment_date"));
  HUB_RETURN_IF_ERROR(CheckOptionalTime(r.appointment_time, "appointment_time"));
  HUB_RETURN_IF_ERROR(CheckOptionalDate(r.previous_appointment_date, "previous_appointment_date"));
  HUB_RETURN_IF_ERROR(CheckOptionalTime(r.previous_appointment_time, "previous_appointment_time"));
  HUB_RETURN_IF_ERROR(CheckText(r.referrer_name, "referrer_name", false));
  for (std::size_t i = 0; i < r.referrer_address.size(); ++i) {
    HUB_RETURN_IF_ERROR(
        CheckText(r.referrer_address[i], fmt::format("referrer_address[{}]", i), false));
  }
  HUB_RETURN_IF_ERROR(CheckText(r.reason, "reason", true));
  HUB_RETURN_IF_ERROR(CheckOptionalDate(r.respond_by, "respond_by"));
  const auto& standard = StandardFieldNames();
  for (const auto& [key, value] : r.fields) {
    std::string path = "fields." + key;
    if (!IsFieldName(key)) {
      return Status::InvalidArgument("is not a field name (lower case letters, digits, '_')", path);
    }
    if (std::binary_search(standard.begin(), standard.end(), key)) {
      return Status::InvalidArgument("is a standard field and cannot be set as an extra field",
                                     path);
    }
    HUB_RETURN_IF_ERROR(CheckText(value, path, true));
  }
  if (r.postage && *r.postage == Postage::kUnspecified) {
    return Status::InvalidArgument("must be first, second or economy", "postage");
  }
  return Status::Ok();
}

std::string NormalisePostcode(std::string_view postcode) {
  std::string p = PostcodeCompact(postcode);
  if (p.size() < 5) return p;
  return p.substr(0, p.size() - 3) + " " + p.substr(p.size() - 3);
}

std::string FormatLetterDate(std::string_view iso_date) {
  auto d = booking::ParseIsoDate(iso_date);
  if (!d.ok()) return std::string(iso_date);
  date::year_month_day ymd(*d);
  return fmt::format("{} {} {}", static_cast<unsigned>(ymd.day()),
                     kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()));
}

std::string FormatLetterDayDate(std::string_view iso_date) {
  auto d = booking::ParseIsoDate(iso_date);
  if (!d.ok()) return std::string(iso_date);
  return fmt::format("{} {}", kWeekdays[booking::IsoWeekday(*d) - 1], FormatLetterDate(iso_date));
}

std::string FormatLetterTime(std::string_view hh_mm) {
  if (!IsTime(hh_mm)) return std::string(hh_mm);
  int h = (hh_mm[0] - '0') * 10 + (hh_mm[1] - '0');
  std::string_view minutes = hh_mm.substr(3, 2);
  int h12 = h % 12 == 0 ? 12 : h % 12;
  return fmt::format("{}:{}{}", h12, minutes, h < 12 ? "am" : "pm");
}

const std::vector<std::string>& StandardFieldNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v = {
        "letter_id",
        "letter_date",
        "patient_name",
        "nhs_number",
        "date_of_birth",
        "mrn",
        "recipient_name",
        "clinic_name",
        "consultant",
        "appointment_date",
        "appointment_time",
        "site",
        "previous_appointment_date",
        "previous_appointment_time",
        "referrer_name",
        "referrer_address",
        "reason",
        "respond_by",
        "trust_name",
        "trust_phone",
        "booking_phone",
        "booking_hours",
        "booking_email",
        "website",
    };
    std::sort(v.begin(), v.end());
    return v;
  }();
  return names;
}

std::map<std::string, std::string> LetterFields(const LetterRequest& r, const TrustFields& trust,
                                                std::string_view letter_date) {
  std::map<std::string, std::string> m;
  for (const auto& [key, value] : r.fields) PutIfPresent(m, key, value);
  PutIfPresent(m, "letter_id", r.letter_id);
  PutIfPresent(m, "letter_date", FormatLetterDate(letter_date));
  PutIfPresent(m, "patient_name", Trimmed(r.patient_name));
  auto nhs = booking::NormaliseNhsNumber(r.nhs_number);
  PutIfPresent(m, "nhs_number", booking::FormatNhsNumber(nhs.ok() ? *nhs : r.nhs_number));
  if (!r.date_of_birth.empty()) m["date_of_birth"] = FormatLetterDate(r.date_of_birth);
  PutIfPresent(m, "mrn", Trimmed(r.mrn));
  PutIfPresent(m, "recipient_name", Trimmed(r.recipient.name));
  PutIfPresent(m, "clinic_name", Trimmed(r.clinic_name));
  PutIfPresent(m, "consultant", Trimmed(r.consultant));
  PutIfPresent(m, "site", Trimmed(r.site));
  if (!r.appointment_date.empty()) m["appointment_date"] = FormatLetterDayDate(r.appointment_date);
  if (!r.appointment_time.empty()) m["appointment_time"] = FormatLetterTime(r.appointment_time);
  if (!r.previous_appointment_date.empty()) {
    m["previous_appointment_date"] = FormatLetterDayDate(r.previous_appointment_date);
  }
  if (!r.previous_appointment_time.empty()) {
    m["previous_appointment_time"] = FormatLetterTime(r.previous_appointment_time);
  }
  PutIfPresent(m, "referrer_name", Trimmed(r.referrer_name));
  PutIfPresent(m, "referrer_address", JoinLines(r.referrer_address, ", "));
  PutIfPresent(m, "reason", r.reason);
  if (!r.respond_by.empty()) m["respond_by"] = FormatLetterDayDate(r.respond_by);
  PutIfPresent(m, "trust_name", trust.trust_name);
  PutIfPresent(m, "trust_phone", trust.trust_phone);
  PutIfPresent(m, "booking_phone", trust.booking_phone);
  PutIfPresent(m, "booking_hours", trust.booking_hours);
  PutIfPresent(m, "booking_email", trust.booking_email);
  PutIfPresent(m, "website", trust.website);
  return m;
}

// ---- storage form -------------------------------------------------------------------------

namespace {

// Strict member readers: a missing member or the wrong type is an error naming the member.
Status ReadString(const nlohmann::json& j, const char* key, std::string* out,
                  const std::string& at) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    return Status::Corruption("is missing or not a string", at + key);
  }
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ReadStringList(const nlohmann::json& j, const char* key, std::vector<std::string>* out,
                      const std::string& at) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array())
    return Status::Corruption("is missing or not a list", at + key);
  out->clear();
  for (const auto& e : *it) {
    if (!e.is_string()) return Status::Corruption("has a member that is not a string", at + key);
    out->push_back(e.get<std::string>());
  }
  return Status::Ok();
}

Result<std::optional<bool>> ReadOptionalBool(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return Status::Corruption("is not a boolean", key);
  return std::optional<bool>(it->get<bool>());
}

}  // namespace

nlohmann::json LetterRequestToJson(const LetterRequest& r) {
  nlohmann::json j = {
      {"letter_id", r.letter_id},
      {"kind", std::string(LetterKindName(r.kind))},
      {"recipient",
       {{"name", r.recipient.name},
        {"lines", r.recipient.lines},
        {"postcode", r.recipient.postcode}}},
      {"patient_name", r.patient_name},
      {"nhs_number", r.nhs_number},
      {"date_of_birth", r.date_of_birth},
      {"mrn", r.mrn},
      {"clinic_name", r.clinic_name},
      {"consultant", r.consultant},
      {"appointment_date", r.appointment_date},
      {"appointment_time", r.appointment_time},
      {"site", r.site},
      {"previous_appointment_date", r.previous_appointment_date},
      {"previous_appointment_time", r.previous_appointment_time},
      {"referrer_name", r.referrer_name},
      {"referrer_address", r.referrer_address},
      {"reason", r.reason},
      {"respond_by", r.respond_by},
      {"fields", r.fields},
      {"postage",
       r.postage ? nlohmann::json(std::string(PostageName(*r.postage))) : nlohmann::json()},
      {"duplex", r.duplex ? nlohmann::json(*r.duplex) : nlohmann::json()},
      {"colour", r.colour ? nlohmann::json(*r.colour) : nlohmann::json()},
  };
  return j;
}

Result<LetterRequest> LetterRequestFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return Status::Corruption("a stored letter request is not a JSON object");
  LetterRequest r;
  HUB_RETURN_IF_ERROR(ReadString(j, "letter_id", &r.letter_id, ""));
  std::string kind;
  HUB_RETURN_IF_ERROR(ReadString(j, "kind", &kind, ""));
  auto k = LetterKindFromName(kind);
  if (!k) return Status::Corruption(fmt::format("'{}' is not a letter kind", kind), "kind");
  r.kind = *k;
  auto rec = j.find("recipient");
  if (rec == j.end() || !rec->is_object()) return Status::Corruption("is missing", "recipient");
  HUB_RETURN_IF_ERROR(ReadString(*rec, "name", &r.recipient.name, "recipient."));
  HUB_RETURN_IF_ERROR(ReadStringList(*rec, "lines", &r.recipient.lines, "recipient."));
  HUB_RETURN_IF_ERROR(ReadString(*rec, "postcode", &r.recipient.postcode, "recipient."));
  HUB_RETURN_IF_ERROR(ReadString(j, "patient_name", &r.patient_name, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "nhs_number", &r.nhs_number, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "date_of_birth", &r.date_of_birth, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "mrn", &r.mrn, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "clinic_name", &r.clinic_name, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "consultant", &r.consultant, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "appointment_date", &r.appointment_date, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "appointment_time", &r.appointment_time, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "site", &r.site, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "previous_appointment_date", &r.previous_appointment_date, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "previous_appointment_time", &r.previous_appointment_time, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "referrer_name", &r.referrer_name, ""));
  HUB_RETURN_IF_ERROR(ReadStringList(j, "referrer_address", &r.referrer_address, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "reason", &r.reason, ""));
  HUB_RETURN_IF_ERROR(ReadString(j, "respond_by", &r.respond_by, ""));
  auto fields = j.find("fields");
  if (fields == j.end() || !fields->is_object()) return Status::Corruption("is missing", "fields");
  for (const auto& [key, value] : fields->items()) {
    if (!value.is_string()) return Status::Corruption("is not a string", "fields." + key);
    r.fields[key] = value.get<std::string>();
  }
  auto postage = j.find("postage");
  if (postage != j.end() && !postage->is_null()) {
    auto p = postage->is_string() ? PostageFromName(postage->get<std::string>()) : std::nullopt;
    if (!p) return Status::Corruption("is not first, second or economy", "postage");
    r.postage = *p;
  }
  HUB_ASSIGN_OR_RETURN(r.duplex, ReadOptionalBool(j, "duplex"));
  HUB_ASSIGN_OR_RETURN(r.colour, ReadOptionalBool(j, "colour"));
  return r;
}

}  // namespace hub::print
