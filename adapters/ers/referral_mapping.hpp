// The one mapping from a ReferralInput (any feed) to the `referral.received` body of service
// `booking` (schemas/referral.hpp), plus the referral's identity and content fingerprint that the
// adapter's duplicate suppression keys on, and the merge of an A008 worklist item into its A005
// ReferralRequest. Pure: no I/O, no clock reads.
#pragma once

#include <string>

#include "adapters/ers/fhir_code_system.hpp"
#include "adapters/ers/fhir_referral.hpp"
#include "adapters/ers/referral_input.hpp"
#include "schemas/referral.hpp"

namespace hub::ers {

// What the mapping uses when a feed does not say (ers.toml [referrals]).
struct MappingDefaults {
  std::string specialty;    // e-RS specialty code, e.g. "CARDIOLOGY"; "" = leave empty
  std::string clinic_type;  // e-RS clinic type code, e.g. "GENERAL"; "" = leave empty
};

// ReferralInput -> referral.received body. `arrival` is the Europe/London date the adapter
// received the referral: the received date when the feed gave none (RULES §1.1).
// Rules (adapters/ers/README.md "Mapping to referral.received"):
// - ubrn as is; otherwise local_id = "<system>/<id>" (system = RF1-6 namespace or MSH-4), with
//   characters the booking schema does not allow (letters, digits, - _ . /) replaced by '_' and
//   cut to 64 characters.
// - given_name = the first given name; address lines beyond five are joined into the fifth.
// - priority = the e-RS code; specialty / clinic_type = the feed's, else the defaults.
// - referrer: name (else organisation name, else code), organisation, PRD-3 address (HL7).
// - source: HL7 for kHl7, ERS for kErs and kFile (files carry e-RS or HL7 payloads and keep
//   the parser's source).
// - received_date = received date, else `arrival`; ers_pathway_start = pathway start;
//   contact_by = contact-by date; needs_triage when the e-RS state is AWAITING_TRIAGE.
// Fields the feed lacks stay empty: the booking worker refuses such a referral with a
// hub.error naming the field, which the adapter records against the referral (nothing here
// invents patient data).
schemas::ReferralReceived ToReferralReceived(const ReferralInput& input,
                                             const MappingDefaults& defaults, Date arrival);

// The referral's identity across feeds: "ubrn:<12 digits>" when there is a UBRN, else
// "local:<system>|<id>" (as sent, before the local_id clean-up), or "" when there is neither.
std::string ReferralKey(const ReferralInput& input);

// 16 hex digits (FNV-1a 64) over the body with `source` and `received_date` blanked, so the same
// referral re-sent on another day or through another feed with identical content compares
// equal, and any change of content (priority, patient, dates from the feed) does not.
std::string ReferralFingerprint(const schemas::ReferralReceived& body);

// An A008 worklist item's dates and codes laid over the A005 ReferralRequest read for it
// (RULES §1.1, §3.2): received = ubrnReceived when the item has it; clock start = the earliest
// of everything known; contact-by = patientContactExpected; specialty / service / reason filled
// when the ReferralRequest lacks them.
void MergeWorklistItem(const WorklistItem& item, ReferralInput* input);

// RULES §1.10: when an e-RS referral has no contact-by date, the A004 deferToProviderContactDays
// for its priority counted from its received date. Leaves `input` unchanged when the priority,
// the received date or the code system entry is missing.
void ApplyContactDays(const PriorityCodeSystem& priorities, ReferralInput* input);

}  // namespace hub::ers
