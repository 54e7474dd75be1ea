// The catalogue's entries. Add a line here and a section in README.md for every new type.
#include "schemas/catalogue.hpp"

namespace hub::schemas {

const std::vector<TypeInfo>& Catalogue() {
  static const std::vector<TypeInfo> kTypes = {
      // -- broker and operations (schemas/error.hpp, schemas/admin.hpp)
      {"hub.error", "", 1, "error reply: code, message, field, ref"},
      {"admin.status", "hub.admin", 1, "broker status: services, workers, queue depths"},
      {"admin.dead_letters", "hub.admin", 1, "list dead-lettered requests"},
      {"admin.replay", "hub.admin", 1, "requeue one dead-lettered request by id"},
      {"admin.purge", "hub.admin", 1, "delete answered (and optionally dead) requests older than a cut-off"},
      {"admin.result", "", 1, "reply to an admin.* request"},
      // -- booking: commands (schemas/referral.hpp, clinic_template.hpp, appointment.hpp,
      //    letter.hpp), each answered by booking.result or hub.error
      {"referral.received", "booking", 1,
       "a referral (e-RS, HL7, paper): patient, pathway and RTT clock, waiting list, booking"},
      {"referral.triaged", "booking", 1, "triage outcome: accept (priority may change) or return"},
      {"template.upsert", "booking", 1, "a clinic template: a new clinic or a new version"},
      {"template.change.request", "booking", 1, "cancel a session or end a clinic"},
      {"template.change.approve", "booking", 1, "approve or reject a pending template change"},
      {"appointment.book", "booking", 1, "book a waiting entry into a named slot"},
      {"appointment.cancel", "booking", 1, "cancel an appointment, by the patient or the hospital"},
      {"appointment.reschedule", "booking", 1, "move an appointment to another slot"},
      {"offer.declined", "booking", 1, "the patient declines the offered date"},
      {"attendance.recorded", "booking", 1, "attendance outcome and RTT status of an appointment"},
      {"review.outcome", "booking", 1, "a clinician's decision on an entry held for review"},
      {"letter.status", "booking", 1, "the print vendor's status for a requested letter"},
      {"pb.contact", "booking", 1, "the patient replied to partial booking: leaves the chase"},
      {"booking.result", "", 1, "reply to every booking command: ids and effect counts"},
      // -- booking: read API (schemas/booking_queries.hpp)
      {"patient.get", "booking", 1, "a patient with pathways, entries and appointments"},
      {"patient.result", "", 1, "reply to patient.get"},
      {"pathway.get", "booking", 1, "a pathway with clock history and current wait"},
      {"pathway.result", "", 1, "reply to pathway.get"},
      {"waitinglist.get", "booking", 1, "a specialty's waiting list in booking order"},
      {"waitinglist.result", "", 1, "reply to waitinglist.get"},
      {"slots.free", "booking", 1, "free slots by specialty or clinic, type and dates"},
      {"slots.result", "", 1, "reply to slots.free"},
      {"clinics.list", "booking", 1, "every clinic template, for CaB/e-RS reconciliation"},
      {"clinics.result", "", 1, "reply to clinics.list"},
      // -- booking: e-RS A016 through the CaB adapter (schemas/ers.hpp)
      {"ers.book", "booking", 1,
       "book a slot for a UBRN (creating the referral if new), idempotent per key, with deadline"},
      {"ers.cancel", "booking", 1, "undo the e-RS booking made under an idempotency key"},
      {"ers.defer", "booking", 1, "defer to provider: the referral on the list with contact-by"},
      {"ers.result", "", 1, "reply to ers.book, ers.cancel and ers.defer"},
      // -- booking: emitted through the outbox (schemas/letter.hpp, booking_events.hpp)
      {"letter.requested", "print", 1, "a letter to render, print and post, with all its data"},
      {"letter.accepted", "", 1, "print's reply to letter.requested: stored for the next batch"},
      {"scan.coversheet.requested", "scan", 1, "a barcoded coversheet for a paper referral"},
      {"scan.coversheet.accepted", "", 1,
       "scan's reply to scan.coversheet.requested: stored for the next print batch"},
      {"slots.changed", "cab", 1, "slots whose availability changed, for e-RS publication"},
      {"task.created", "", 1, "event: a worklist task for the booking team or a clinician"},
      {"escalation.raised", "", 1, "event: a capacity escalation for a specialty"},
      // -- scanning (schemas/scan.hpp)
      {"document.scanned", "booking", 1,
       "a scanned document matched to its coversheet, to attach to the referral"},
      // -- the CaB adapter's own service (schemas/cab.hpp)
      {"cab.ack", "", 1, "the CaB adapter's reply to slots.changed"},
      {"cab.drift", "cab", 1, "the drift report of the running CaB adapter"},
      {"cab.drift.result", "", 1, "reply to cab.drift"},
      // -- test and benchmark traffic (tests/support, bench/)
      {"test.apply", "test", 1, "apply a keyed effect once (idempotent test worker)"},
      {"test.echo", "echo", 1, "echo the body back"},
  };
  return kTypes;
}

const TypeInfo* FindType(std::string_view type) {
  for (const auto& t : Catalogue()) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

}  // namespace hub::schemas
