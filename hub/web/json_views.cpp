// msgpack bodies -> JSON.
#include "hub/web/json_views.hpp"

#include "hub/wire/msgpack_map.hpp"

namespace hub::web {

using nlohmann::json;

namespace {
void Opt(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

json FromObject(const msgpack::object& o, int depth) {
  if (depth > 32) return "(nested too deep)";
  switch (o.type) {
    case msgpack::type::NIL: return nullptr;
    case msgpack::type::BOOLEAN: return o.via.boolean;
    case msgpack::type::POSITIVE_INTEGER: return o.via.u64;
    case msgpack::type::NEGATIVE_INTEGER: return o.via.i64;
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64: return o.via.f64;
    case msgpack::type::STR: return std::string(o.via.str.ptr, o.via.str.size);
    case msgpack::type::BIN: return json{{"bytes", o.via.bin.size}};
    case msgpack::type::ARRAY: {
      json a = json::array();
      for (std::uint32_t i = 0; i < o.via.array.size; ++i) a.push_back(FromObject(o.via.array.ptr[i], depth + 1));
      return a;
    }
    case msgpack::type::MAP: {
      json m = json::object();
      for (std::uint32_t i = 0; i < o.via.map.size; ++i) {
        const auto& kv = o.via.map.ptr[i];
        std::string key = kv.key.type == msgpack::type::STR ? std::string(kv.key.via.str.ptr, kv.key.via.str.size)
                                                             : std::to_string(i);
        m[key] = FromObject(kv.val, depth + 1);
      }
      return m;
    }
    default: return nullptr;
  }
}
}  // namespace

json ToJson(const schemas::PatientBody& p) {
  json j{{"nhs_number", p.nhs_number},
         {"given_name", p.given_name},
         {"family_name", p.family_name},
         {"birth_date", p.birth_date},
         {"address", {{"lines", p.address.lines}, {"postcode", p.address.postcode}}}};
  Opt(j, "mrn", p.mrn);
  Opt(j, "title", p.title);
  Opt(j, "phone", p.phone);
  Opt(j, "mobile", p.mobile);
  Opt(j, "gp_practice_code", p.gp_practice_code);
  return j;
}

json ToJson(const schemas::EntryBody& e) {
  json j{{"entry_id", e.entry_id},       {"referral_id", e.referral_id}, {"pathway_id", e.pathway_id},
         {"nhs_number", e.nhs_number},   {"kind", e.kind},               {"priority", e.priority},
         {"specialty", e.specialty},     {"clinic_type", e.clinic_type}, {"clock_start", e.clock_start},
         {"status", e.status}};
  Opt(j, "appointment_id", e.appointment_id);
  Opt(j, "due_date", e.due_date);
  Opt(j, "contact_by", e.contact_by);
  Opt(j, "review_reason", e.review_reason);
  Opt(j, "available_from", e.available_from);
  return j;
}

json ToJson(const schemas::AppointmentBody& a) {
  json j{{"appointment_id", a.appointment_id}, {"entry_id", a.entry_id}, {"pathway_id", a.pathway_id},
         {"slot_id", a.slot_id},               {"clinic_code", a.clinic_code}, {"date", a.date},
         {"time", a.time},                     {"start_ms", a.start_ms},      {"length_minutes", a.length_minutes},
         {"status", a.status},                 {"booked_on", a.booked_on}};
  Opt(j, "reason", a.reason);
  return j;
}

json ToJson(const schemas::SlotBody& s) {
  return json{{"slot_id", s.slot_id},     {"clinic_code", s.clinic_code}, {"specialty", s.specialty},
              {"clinic_type", s.clinic_type}, {"date", s.date},           {"time", s.time},
              {"start_ms", s.start_ms},   {"length_minutes", s.length_minutes}, {"type", s.type},
              {"capacity", s.capacity},   {"booked", s.booked},           {"cancelled", s.cancelled}};
}

json ToJson(const schemas::WaitBody& w) {
  return json{{"days", w.days}, {"weeks", w.days / 7}, {"band", w.band}, {"completed", w.completed},
              {"thresholds_breached", w.thresholds_breached}};
}

json ToJson(const schemas::PatientResult& r) {
  json entries = json::array(), appts = json::array();
  for (const auto& e : r.entries) entries.push_back(ToJson(e));
  for (const auto& a : r.appointments) appts.push_back(ToJson(a));
  return json{{"patient", ToJson(r.patient)}, {"pathway_ids", r.pathway_ids}, {"entries", entries},
              {"appointments", appts}};
}

json ToJson(const schemas::PathwayResult& r) {
  json events = json::array(), entries = json::array(), appts = json::array();
  for (const auto& e : r.events) {
    json ev{{"kind", e.kind}, {"date", e.date}, {"status", e.status}};
    Opt(ev, "reason", e.reason);
    events.push_back(ev);
  }
  for (const auto& e : r.entries) entries.push_back(ToJson(e));
  for (const auto& a : r.appointments) appts.push_back(ToJson(a));
  json j{{"pathway_id", r.pathway_id}, {"nhs_number", r.nhs_number}, {"specialty", r.specialty},
         {"referral_ids", r.referral_ids}, {"events", events}, {"entries", entries}, {"appointments", appts}};
  if (r.wait) j["wait"] = ToJson(*r.wait);
  Opt(j, "breach_date", r.breach_date);
  return j;
}

json ToJson(const schemas::BookingResult& r) {
  json j{{"pending_approval", r.pending_approval}, {"booked", r.booked}, {"letters", r.letters},
         {"tasks", r.tasks}, {"escalations", r.escalations}};
  Opt(j, "referral_id", r.referral_id);
  Opt(j, "pathway_id", r.pathway_id);
  Opt(j, "entry_id", r.entry_id);
  Opt(j, "appointment_id", r.appointment_id);
  Opt(j, "change_id", r.change_id);
  Opt(j, "follow_up_entry_id", r.follow_up_entry_id);
  return j;
}

Result<json> MsgpackToJson(std::string_view bytes) {
  if (bytes.empty()) return json::object();
  HUB_ASSIGN_OR_RETURN(auto doc, wire::Document::Parse(bytes, "reply body"));
  return FromObject(doc.root(), 0);
}

}  // namespace hub::web
