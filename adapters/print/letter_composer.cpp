// Composing a letter from its request, template and the trust's configuration.
#include "adapters/print/letter_composer.hpp"

#include <fmt/format.h>

#include "hub/booking/nhs_number.hpp"

namespace hub::print {

namespace {

std::string Trim(std::string_view s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(' ');
  return std::string(s.substr(b, e - b + 1));
}

void AddIfPresent(std::vector<LabelledValue>& rows, std::string label, std::string value) {
  if (!value.empty()) rows.push_back({std::move(label), std::move(value)});
}

}  // namespace

Result<ComposedLetter> ComposeLetter(const LetterRequest& request, const PrintConfig& config,
                                     const TemplateSet& templates, std::string_view letter_date) {
  HUB_RETURN_IF_ERROR(ValidateLetterRequest(request));
  const LetterTemplate* tmpl = templates.Find(request.kind);
  if (tmpl == nullptr) return Status::InvalidArgument("has no template", "kind");
  if (!tmpl->appointment_heading.empty()) {
    // A patient must be able to tell from the box when and where to come.
    const std::pair<const char*, const std::string*> required[] = {
        {"clinic_name", &request.clinic_name},
        {"appointment_date", &request.appointment_date},
        {"appointment_time", &request.appointment_time},
        {"site", &request.site}};
    for (const auto& [field, value] : required) {
      if (Trim(*value).empty()) {
        return Status::InvalidArgument(
            fmt::format("the {} letter template ({}) prints the appointment, but the request has "
                        "no {}",
                        LetterKindName(request.kind), tmpl->origin, field),
            field);
      }
    }
  }
  auto fields = LetterFields(request, config.fields, letter_date);
  HUB_ASSIGN_OR_RETURN(FilledTemplate filled, FillTemplate(*tmpl, fields));

  ComposedLetter c;
  c.letter_id = request.letter_id;
  c.kind = request.kind;
  c.letter_date = std::string(letter_date);
  c.nhs_number = *booking::NormaliseNhsNumber(request.nhs_number);
  c.address.push_back(Trim(request.recipient.name));
  for (const auto& line : request.recipient.lines) {
    if (std::string t = Trim(line); !t.empty()) c.address.push_back(std::move(t));
  }
  c.address.push_back(NormalisePostcode(request.recipient.postcode));

  AddIfPresent(c.references, "Date", fields["letter_date"]);
  AddIfPresent(c.references, "Patient", fields["patient_name"]);
  AddIfPresent(c.references, "Date of birth", fields["date_of_birth"]);
  AddIfPresent(c.references, "NHS number", booking::FormatNhsNumber(c.nhs_number));
  AddIfPresent(c.references, "Hospital no.", fields["mrn"]);

  c.subject = std::move(filled.subject);
  c.appointment_heading = std::move(filled.appointment_heading);
  if (!c.appointment_heading.empty()) {
    AddIfPresent(c.appointment, "Clinic", fields["clinic_name"]);
    AddIfPresent(c.appointment, "Consultant", fields["consultant"]);
    AddIfPresent(c.appointment, "Date", fields["appointment_date"]);
    AddIfPresent(c.appointment, "Time", fields["appointment_time"]);
    AddIfPresent(c.appointment, "Place", fields["site"]);
  }
  c.body = std::move(filled.body);
  c.running_header = fmt::format("{}, NHS number {}", fields["patient_name"],
                                 booking::FormatNhsNumber(c.nhs_number));
  c.postage = request.postage.value_or(config.defaults.postage);
  c.duplex = request.duplex.value_or(config.defaults.duplex);
  c.colour = request.colour.value_or(config.defaults.colour);
  return c;
}

}  // namespace hub::print
