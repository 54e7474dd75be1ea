// Composing a letter: the pure step between a LetterRequest and the PDF. It validates the
// request, fills the kind's template and decides every text block the page will carry — address,
// references (NHS number 3-3-4, RULES §5), subject, appointment box, body — without any drawing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/print/letter.hpp"
#include "adapters/print/letter_template.hpp"
#include "adapters/print/print_config.hpp"
#include "hub/common/status.hpp"

namespace hub::print {

struct LabelledValue {
  std::string label;
  std::string value;
};

struct ComposedLetter {
  std::string letter_id;
  LetterKind kind = LetterKind::kUnspecified;
  std::string letter_date;                // ISO, Europe/London
  std::string nhs_number;                 // 10 digits
  std::vector<std::string> address;       // addressee, address lines, postcode (normalised)
  std::vector<LabelledValue> references;  // date, patient, NHS number... beside the window
  std::string subject;
  std::string appointment_heading;         // empty: no appointment box
  std::vector<LabelledValue> appointment;  // clinic, consultant, date, time, place
  std::string body;
  std::string running_header;  // identifies the patient on pages after the first
  Postage postage = Postage::kSecond;
  bool duplex = true;
  bool colour = false;
};

// Validates `request` (ValidateLetterRequest), then fills its kind's template. `letter_date` is
// the ISO Europe/London date printed on the letter. Errors: the request's own faults, a field
// the template uses that the request lacks, or a template with an appointment heading for a
// request without the clinic, date, time and place of the appointment — each naming the field
// (Status::field()).
Result<ComposedLetter> ComposeLetter(const LetterRequest& request, const PrintConfig& config,
                                     const TemplateSet& templates, std::string_view letter_date);

}  // namespace hub::print
