// ReferralInput -> referral.received, referral identity and fingerprint, worklist merge.
#include "adapters/ers/referral_mapping.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "hub/booking/calendar.hpp"

namespace hub::ers {

namespace {
constexpr std::size_t kMaxLocalIdBytes = 64;  // schemas/README.md referral.received local_id
constexpr std::size_t kMaxAddressLines = 5;   // schemas/README.md Map: address

std::string CleanLocalId(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '/';
    out.push_back(ok ? c : '_');
    if (out.size() == kMaxLocalIdBytes) break;
  }
  return out;
}

std::string IsoOrEmpty(const std::optional<Date>& d) {
  return d ? booking::FormatIsoDate(*d) : std::string();
}

schemas::AddressBody Address(const std::vector<std::string>& lines, const std::string& postcode) {
  schemas::AddressBody a;
  for (const auto& line : lines) {
    if (line.empty()) continue;
    if (a.lines.size() < kMaxAddressLines) {
      a.lines.push_back(line);
    } else {
      a.lines.back() += ", " + line;
    }
  }
  a.postcode = postcode;
  return a;
}
}  // namespace

schemas::ReferralReceived ToReferralReceived(const ReferralInput& in,
                                             const MappingDefaults& defaults, Date arrival) {
  schemas::ReferralReceived b;
  b.ubrn = in.ubrn;
  if (in.ubrn.empty() && !in.local_id.empty()) {
    b.local_id = CleanLocalId(in.local_id_system.empty() ? in.local_id
                                                         : in.local_id_system + "/" + in.local_id);
  }
  b.patient.nhs_number = in.nhs_number;
  b.patient.mrn = in.mrn;
  b.patient.title = in.title;
  if (!in.given_names.empty()) b.patient.given_name = in.given_names.front();
  b.patient.family_name = in.family_name;
  b.patient.birth_date = IsoOrEmpty(in.date_of_birth);
  b.patient.address = Address(in.address_lines, in.postcode);
  b.patient.phone = in.phone;
  b.patient.mobile = in.mobile_phone;
  if (in.priority) b.priority = std::string(ReferralPriorityName(*in.priority));
  b.specialty = in.specialty.empty() ? defaults.specialty : in.specialty;
  b.clinic_type = in.clinic_type.empty() ? defaults.clinic_type : in.clinic_type;
  b.referrer.name = !in.referrer_name.empty()       ? in.referrer_name
                    : !in.referrer_org_name.empty() ? in.referrer_org_name
                                                    : in.referrer_code;
  b.referrer.organisation_code = in.referrer_org_code;
  b.referrer.organisation_name = in.referrer_org_name;
  b.referrer.address = Address(in.referrer_address_lines, in.referrer_postcode);
  b.source = in.source == ReferralSource::kHl7 ? "HL7" : "ERS";
  b.received_date = booking::FormatIsoDate(in.received_date.value_or(arrival));
  b.ers_pathway_start = IsoOrEmpty(in.pathway_start_date);
  b.contact_by = IsoOrEmpty(in.contact_by_date);
  b.needs_triage = in.referral_state == "AWAITING_TRIAGE";
  return b;
}

std::string ReferralKey(const ReferralInput& in) {
  if (!in.ubrn.empty()) return "ubrn:" + in.ubrn;
  if (!in.local_id.empty()) return "local:" + in.local_id_system + "|" + in.local_id;
  return {};
}

std::string ReferralFingerprint(const schemas::ReferralReceived& body) {
  schemas::ReferralReceived copy = body;
  copy.source.clear();
  copy.received_date.clear();
  std::string bytes = schemas::EncodeReferralReceived(copy);
  std::uint64_t h = 14695981039346656037ULL;  // FNV-1a 64 offset basis
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;  // FNV prime
  }
  return fmt::format("{:016x}", h);
}

void MergeWorklistItem(const WorklistItem& item, ReferralInput* in) {
  if (item.ubrn_received_date) in->received_date = item.ubrn_received_date;
  if (item.pathway_start_date) {
    in->pathway_start_date = EarliestDate({in->pathway_start_date, item.pathway_start_date});
  }
  if (item.patient_contact_expected) in->contact_by_date = item.patient_contact_expected;
  if (in->specialty.empty()) in->specialty = item.specialty;
  if (in->service_id.empty()) {
    in->service_id = item.service_id;
    in->service_name = item.service_name;
  }
  if (in->reason.empty()) in->reason = item.reason;
  if (in->nhs_number.empty()) in->nhs_number = item.nhs_number;
  in->clock_start_date =
      EarliestDate({in->clock_start_date, in->received_date, in->pathway_start_date});
}

void ApplyContactDays(const PriorityCodeSystem& priorities, ReferralInput* in) {
  if (in->contact_by_date || !in->priority || !in->received_date) return;
  const PriorityContactDays* days = priorities.Find(*in->priority);
  if (days == nullptr) return;
  in->contact_by_date = booking::AddDays(*in->received_date, days->defer_to_provider_contact_days);
}

}  // namespace hub::ers
