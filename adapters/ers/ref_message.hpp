// HL7 v2 referral messages: REF^I12 (new), REF^I13 (modify), REF^I14 (cancel) read into an
// Hl7Referral, with the field rules of RULES §4 (PID-3 NHS number, RF1 priority and UBRN, PRD
// providers). Other message types (SIU, ADT, ...) are recognised and refused with AR.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/ers/hl7_message.hpp"
#include "adapters/ers/referral_input.hpp"

namespace hub::ers {

// A CX (PID-3) or PLN (PRD-7) identifier.
struct Hl7Identifier {
  std::string id;
  std::string authority;  // CX-4 namespace id; PLN-3 state/province for PLN
  std::string type;       // CX-5 identifier type code (MR, NH, ...); PLN-2 for PLN
  bool operator==(const Hl7Identifier&) const = default;
};

// An XPN name.
struct Hl7Name {
  std::string family;
  std::string given;
  std::string middle;  // XPN-3 "second and further given names or initials"
  std::string suffix;
  std::string prefix;  // title, e.g. "DR"
  // "DR ROBERT POWELL": prefix, given, middle, family, suffix; empty parts left out.
  std::string Display() const;
};

// An XAD address, flattened the UK way: lines (street, other designation, city, county) and
// postcode.
struct Hl7Address {
  std::vector<std::string> lines;
  std::string postcode;
  std::string country;
};

struct Hl7Patient {
  std::string nhs_number;                  // 10 digits, Modulus 11 checked; "" when not sent
  std::string nhs_number_status;           // "01".."08" from a PID-32 NSTSnn code, or ""
  Hl7Identifier mrn;                       // local hospital number (see ParsePatient)
  std::vector<Hl7Identifier> identifiers;  // every PID-3 repetition, in order
  Hl7Name name;
  std::optional<Date> date_of_birth;
  PatientSex sex = PatientSex::kUnknown;
  Hl7Address address;
  std::string phone;         // first usable PID-13/PID-14 number (not fax, pager or e-mail)
  std::string mobile_phone;  // first number with equipment type CP
};

// One PRD segment.
struct Hl7Provider {
  std::string role;       // PRD-1.1, HL7 table 0286: RP referring, RT referred-to, PP, CP
  std::string role_text;  // PRD-1.2
  Hl7Name name;           // PRD-2
  Hl7Address address;     // PRD-3
  std::string location;   // PRD-4 facility (PL-4) or location description (PL-9)
  std::string phone;      // PRD-5
  std::vector<Hl7Identifier> identifiers;  // PRD-7 (PLN)
  std::string organisation_name;           // PRD-10 XON-1 (v2.6+)
  std::string organisation_id;             // PRD-10 XON-10, else XON-3
};

struct Hl7Referral {
  // MSH
  std::string control_id;             // MSH-10
  std::string sending_application;    // MSH-3.1
  std::string sending_facility;       // MSH-4.1
  std::string receiving_application;  // MSH-5.1
  std::string receiving_facility;     // MSH-6.1
  std::string version;                // MSH-12.1
  std::string trigger_event;          // "I12", "I13" or "I14"
  ReferralEventKind event = ReferralEventKind::kNew;

  // RF1
  std::string status;         // RF1-1.1, HL7 table 0283 (A, P, R, E)
  std::string priority_code;  // RF1-2.1 as sent
  std::optional<ReferralPriority> priority;
  std::string referral_type;            // RF1-3.1, HL7 table 0281
  std::string referral_category;        // RF1-5.1, HL7 table 0284
  std::string ubrn;                     // RF1-6.1 when it is a 12-digit UBRN (RULES §3.1, §4.3)
  std::string referral_id;              // RF1-6.1 when it is not a UBRN
  std::string referral_id_namespace;    // RF1-6.2
  std::optional<Date> effective_date;   // RF1-7
  std::optional<Date> expiration_date;  // RF1-8
  std::optional<Date> process_date;     // RF1-9
  std::string reason_code;              // RF1-10.1
  std::string reason_text;              // RF1-10.2
  std::string external_referral_id;     // RF1-11.1

  std::string specialty;  // PV1-10 hospital service, when a PV1 is sent

  Hl7Patient patient;
  std::vector<Hl7Provider> providers;  // every PRD, in order
  // The first PRD with role RP / RT, when present.
  const Hl7Provider* ReferringProvider() const;
  const Hl7Provider* ReferredToProvider() const;
};

struct RefParseOptions {
  // MSH-11.1 processing ids accepted (HL7 table 0103: P production, T training, D debugging);
  // others are refused with AR 202 so test traffic never reaches live waiting lists.
  std::vector<std::string> processing_ids = {"P"};
  // When true, a referral without an NHS number in PID-3 is refused (AE 101).
  bool require_nhs_number = false;
};

// Whether this interface takes the message: the REF^I12/I13/I14 event it carries, or AR with
// 200 (unsupported message type, e.g. SIU^S12, ADT^A01) or 201 (REF with another event, e.g.
// I15). The error text names the type and, for types in HL7 table 0003 we know, what it is.
Hl7Result<ReferralEventKind> CheckSupportedMessage(const Hl7Message& message);

// The meaning of a message type and event in HL7 table 0003 ("SIU^S12" -> "notification of a
// new appointment booking"), or "" when we do not know it.
std::string_view DescribeMessageType(std::string_view type, std::string_view event);

// RF1-2 priority mapping (README.md "HL7 field mapping"): HL7 table 0280 R routine -> ROUTINE,
// A ASAP -> URGENT, S STAT -> URGENT; e-RS codes ROUTINE, URGENT, TWO_WEEK_WAIT as themselves
// (HL7 has no two-week-wait code). nullopt for anything else.
std::optional<ReferralPriority> PriorityFromHl7(std::string_view code);

// Reads one PID segment. The NHS number is the first PID-3 repetition whose assigning authority
// (CX-4) is "NHS", or whose identifier type (CX-5) is "NH" or "NHS", or whose CX-4 universal id
// is the NHS number OID 2.16.840.1.113883.2.1.4.1 (RULES §4.3: feeds send `^^^NHS^NH` or
// `^^^^NHS`). The MRN is the first repetition typed MR, else PI, else the first that is not the
// NHS number. Errors (AE): an NHS number failing Modulus 11 or two different NHS numbers
// (102, PID-3), no identifier at all (101, PID-3), no family name (101, PID-5), a date of birth
// that is not a date (102, PID-7), a sex not in HL7 table 0001 (103, PID-8).
Hl7Result<Hl7Patient> ParsePatient(const Hl7Segment& pid);

// Reads one PRD segment. Error (AE): no role (101, PRD-1).
Hl7Result<Hl7Provider> ParseProvider(const Hl7Segment& prd);

// Reads a REF^I12/I13/I14. Errors: those of CheckSupportedMessage; AR for MSH-10 missing (101),
// an MSH-11 not in options.processing_ids (202), MSH-12 missing (101) or not 2.x (203);
// AE for no RF1 or no PID (100), RF1-2 missing on I12/I13 (101) or unknown (103), RF1-6 missing
// (101) or marked as a UBRN (namespace UBRN/ERS/E-RS) without 12 digits (102), RF1-7..9 not
// dates (102), and those of ParsePatient and ParseProvider.
Hl7Result<Hl7Referral> ParseRefMessage(const Hl7Message& message,
                                       const RefParseOptions& options = {});

// The common form of a parsed referral. `received_on` is the Europe/London date the message
// arrived; it is the received (and clock-start) date when RF1-7 is absent (RULES §1.1: the date
// the provider receives notice of the referral).
ReferralInput ToReferralInput(const Hl7Referral& referral, Date received_on);

}  // namespace hub::ers
