// The booking service's replies (schemas/booking_queries.hpp, msgpack) as the JSON the API
// returns (docs/api.md). Field names are the wire names. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

#include "hub/common/status.hpp"
#include "schemas/appointment.hpp"
#include "schemas/booking_queries.hpp"

namespace hub::web {

nlohmann::json ToJson(const schemas::PatientBody& p);
nlohmann::json ToJson(const schemas::EntryBody& e);
nlohmann::json ToJson(const schemas::AppointmentBody& a);
nlohmann::json ToJson(const schemas::SlotBody& s);
nlohmann::json ToJson(const schemas::WaitBody& w);
nlohmann::json ToJson(const schemas::PatientResult& r);
nlohmann::json ToJson(const schemas::PathwayResult& r);
nlohmann::json ToJson(const schemas::BookingResult& r);

// Any msgpack document (admin.result bodies) as JSON: maps with string keys, arrays, strings,
// numbers, booleans, nil. Binary is shown as its length. Corruption for a body that is not msgpack.
Result<nlohmann::json> MsgpackToJson(std::string_view bytes);

}  // namespace hub::web
