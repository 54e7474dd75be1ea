// letter.requested -> LetterRequest, Accept errors -> wire fields, status changes ->
// letter.status.
#include "adapters/print/letter_mapping.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <array>
#include <utility>

#include "hub/booking/calendar.hpp"
#include "schemas/booking_types.hpp"

namespace hub::print {

namespace {

struct WireKind {
  std::string_view wire;
  LetterKind kind;
};
// schemas LetterKindValues that have a template (config/letters/<kind>.txt).
constexpr std::array<WireKind, 11> kWireKinds = {{
    {"ACKNOWLEDGEMENT", LetterKind::kAcknowledgement},
    {"APPOINTMENT", LetterKind::kAppointment},
    {"RESCHEDULE", LetterKind::kReschedule},
    {"CANCELLATION", LetterKind::kCancellationByHospital},
    {"CANCELLATION_CONFIRMATION", LetterKind::kCancellationByPatient},
    {"DISCHARGE_TO_REFERRER", LetterKind::kDischargeToReferrer},
    {"DISCHARGE", LetterKind::kDischarge},
    {"REFERRAL_RETURNED", LetterKind::kReferralReturned},
    {"PARTIAL_BOOKING_INVITATION", LetterKind::kPartialBookingInvitation},
    {"PARTIAL_BOOKING_REMINDER", LetterKind::kPartialBookingReminder},
    {"DNA", LetterKind::kDna},
}};

std::string PrintableKinds() {
  std::string out;
  for (const auto& k : kWireKinds) {
    if (!out.empty()) out += ", ";
    out += k.wire;
  }
  return out;
}

// LetterRequest member -> letter.requested field (below "body.").
constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kWireFields = {{
    {"letter_id", "letter_id"},
    {"kind", "kind"},
    {"recipient", "recipient_address"},
    {"recipient.name", "recipient_name"},
    {"recipient.lines", "recipient_address.lines"},
    {"recipient.postcode", "recipient_address.postcode"},
    {"nhs_number", "nhs_number"},
    {"patient_name", "patient_name"},
    {"mrn", "mrn"},
    {"date_of_birth", "patient_birth_date"},
    {"clinic_name", "appointment.clinic_name"},
    {"consultant", "appointment.consultant"},
    {"site", "appointment.site"},
    {"appointment_date", "appointment.date"},
    {"appointment_time", "appointment.time"},
    {"previous_appointment_date", "previous.date"},
    {"previous_appointment_time", "previous.time"},
    {"referrer_name", "referrer_name"},
    {"referrer_address", "recipient_address"},
    {"reason", "reason"},
}};

std::string Trim(std::string_view s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(' ');
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::optional<LetterKind> LetterKindFromWire(std::string_view wire_kind) {
  for (const auto& k : kWireKinds) {
    if (k.wire == wire_kind) return k.kind;
  }
  return std::nullopt;
}

Result<LetterRequest> LetterRequestFromWire(const schemas::LetterRequested& b) {
  LetterRequest r;
  r.letter_id = b.letter_id;
  auto kind = LetterKindFromWire(b.kind);
  if (!kind) {
    const auto& known = schemas::LetterKindValues();
    bool in_schema = std::find(known.begin(), known.end(), b.kind) != known.end();
    return Status::InvalidArgument(
        in_schema ? fmt::format("{} letters have no print template (config/letters); the print "
                                "adapter prints {}",
                                b.kind, PrintableKinds())
                  : fmt::format("'{}' is not a letter kind the print adapter knows ({})", b.kind,
                                PrintableKinds()),
        "body.kind");
  }
  r.kind = *kind;
  if (!booking::ParseIsoDate(b.letter_date).ok()) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not an ISO date (YYYY-MM-DD)", b.letter_date), "body.letter_date");
  }
  r.recipient.name = b.recipient_name;
  r.recipient.lines = b.recipient_address.lines;
  r.recipient.postcode = b.recipient_address.postcode;
  r.patient_name = b.patient_name;
  r.nhs_number = b.nhs_number;
  r.date_of_birth = b.patient_birth_date;
  r.mrn = b.mrn;
  if (b.appointment) {
    const auto& a = *b.appointment;
    r.clinic_name = a.clinic_name;
    r.consultant = a.consultant;
    r.appointment_date = a.date;
    r.appointment_time = a.time;
    std::string site = Trim(a.site);
    std::string room = Trim(a.room);
    r.site = site.empty() || room.empty() ? site + room : site + ", " + room;
  }
  if (b.previous) {
    r.previous_appointment_date = b.previous->date;
    r.previous_appointment_time = b.previous->time;
  }
  r.referrer_name = b.referrer_name;
  if (b.recipient == "REFERRER") {
    r.referrer_address = b.recipient_address.lines;
    r.referrer_address.push_back(b.recipient_address.postcode);
  }
  r.reason = b.reason;
  // The service in words ("TRAUMA_AND_ORTHOPAEDICS" -> "trauma and orthopaedics"), for letters
  // that have no appointment to name a clinic by.
  std::string service;
  for (char c : b.specialty) {
    service.push_back(c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (!service.empty()) r.fields["service_name"] = service;
  if (!b.ubrn.empty()) r.fields["ubrn"] = b.ubrn;
  return r;
}

std::string WireField(std::string_view request_field) {
  // "recipient.lines[2]" keeps its index: "body.recipient_address.lines[2]".
  std::string_view base = request_field;
  std::string_view index;
  if (auto bracket = request_field.find('['); bracket != std::string_view::npos) {
    base = request_field.substr(0, bracket);
    index = request_field.substr(bracket);
  }
  for (const auto& [member, wire] : kWireFields) {
    if (member != base) continue;
    // referrer_address is built from the whole recipient address: no line of it to point at.
    if (base == "referrer_address") return "body.recipient_address";
    return fmt::format("body.{}{}", wire, index);
  }
  return "body.kind";
}

Status WireError(const Status& e) {
  if (e.ok()) return e;
  if (e.field().rfind("print.toml", 0) == 0) {
    return Status::FailedPrecondition(
        fmt::format("the print adapter's configuration is incomplete: {}", e.message()));
  }
  if (e.field().empty()) return e;
  return Status(e.code(), e.message(), WireField(e.field()));
}

std::optional<std::string_view> WireStatusName(LetterStatus status) {
  if (status == LetterStatus::kUnspecified || status == LetterStatus::kBatched) {
    return std::nullopt;
  }
  std::string_view name = LetterStatusName(status);
  const auto& wire = schemas::LetterStatusValues();
  if (std::find(wire.begin(), wire.end(), name) == wire.end()) return std::nullopt;
  return name;
}

std::optional<schemas::LetterStatusBody> LetterStatusFor(const StatusUpdate& update,
                                                         std::string_view requested_id) {
  if (!update.replaced_by.empty() || update.previous == update.status) return std::nullopt;
  auto name = WireStatusName(update.status);
  if (!name) return std::nullopt;
  schemas::LetterStatusBody body;
  body.letter_id = std::string(requested_id);
  body.status = std::string(*name);
  body.reason = Trim(fmt::format("{} {}", Trim(update.reason_code), Trim(update.reason_text)));
  body.status_ms = update.at_ms;
  return body;
}

}  // namespace hub::print
