// Patient and address validation.
#include "hub/booking/patient.hpp"

#include <fmt/format.h>

#include <cctype>

#include "hub/booking/nhs_number.hpp"

namespace hub::booking {

namespace {
constexpr std::size_t kMaxAddressLines = 5;
constexpr std::size_t kMaxTextBytes = 200;

bool IsBlank(const std::string& s) {
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Status CheckText(const std::string& value, const char* field, bool required) {
  if (required && IsBlank(value)) {
    return Status::InvalidArgument("is required and must not be blank", field);
  }
  if (value.size() > kMaxTextBytes) {
    return Status::InvalidArgument(
        fmt::format("is {} bytes, over the {} byte limit", value.size(), kMaxTextBytes), field);
  }
  return Status::Ok();
}
}  // namespace

std::string Patient::FullName() const {
  return title.empty() ? fmt::format("{} {}", given_name, family_name)
                       : fmt::format("{} {} {}", title, given_name, family_name);
}

Result<std::string> NormalisePostcode(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c == ' ') continue;
    compact.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  // Outward code 2-4 characters starting with a letter; inward code digit + two letters.
  auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a UK postcode (expected e.g. 'LS1 3EX')", text), "postcode");
  };
  if (compact.size() < 5 || compact.size() > 7) return bad();
  std::size_t out_len = compact.size() - 3;
  if (!std::isalpha(static_cast<unsigned char>(compact[0]))) return bad();
  for (std::size_t i = 0; i < out_len; ++i) {
    if (!std::isalnum(static_cast<unsigned char>(compact[i]))) return bad();
  }
  if (!std::isdigit(static_cast<unsigned char>(compact[out_len])) ||
      !std::isalpha(static_cast<unsigned char>(compact[out_len + 1])) ||
      !std::isalpha(static_cast<unsigned char>(compact[out_len + 2]))) {
    return bad();
  }
  return compact.substr(0, out_len) + " " + compact.substr(out_len);
}

Status ValidateAddress(Address* a) {
  if (a->lines.empty() || a->lines.size() > kMaxAddressLines) {
    return Status::InvalidArgument(
        fmt::format("an address needs 1 to {} lines before the postcode; got {}", kMaxAddressLines,
                    a->lines.size()),
        "lines");
  }
  for (std::size_t i = 0; i < a->lines.size(); ++i) {
    Status s = CheckText(a->lines[i], "line", true);
    if (!s.ok()) return Status::InvalidArgument(s.message(), fmt::format("lines[{}]", i));
  }
  HUB_ASSIGN_OR_RETURN(a->postcode, NormalisePostcode(a->postcode));
  return Status::Ok();
}

Status ValidatePatient(Patient* p, Date today) {
  auto nhs = NormaliseNhsNumber(p->nhs_number);
  if (!nhs.ok()) return nhs.status();
  p->nhs_number = *nhs;
  HUB_RETURN_IF_ERROR(CheckText(p->given_name, "given_name", true));
  HUB_RETURN_IF_ERROR(CheckText(p->family_name, "family_name", true));
  HUB_RETURN_IF_ERROR(CheckText(p->title, "title", false));
  HUB_RETURN_IF_ERROR(CheckText(p->mrn, "mrn", false));
  HUB_RETURN_IF_ERROR(CheckText(p->phone, "phone", false));
  HUB_RETURN_IF_ERROR(CheckText(p->mobile, "mobile", false));
  HUB_RETURN_IF_ERROR(CheckText(p->gp_practice_code, "gp_practice_code", false));
  if (p->birth_date > today) {
    return Status::InvalidArgument(
        fmt::format("{} is after today ({})", FormatIsoDate(p->birth_date), FormatIsoDate(today)),
        "birth_date");
  }
  Status s = ValidateAddress(&p->address);
  if (!s.ok()) return s.WithFieldPrefix("address");
  return Status::Ok();
}

}  // namespace hub::booking
