// config/cab.toml: the service map (each e-RS service id <-> clinic codes, with the attributes
// e-RS holds for it and its per-priority booking windows) and the adapter's HTTP, gateway,
// search and reconciliation settings. Every key is documented in config/cab.toml; unknown keys
// are refused with file:line (HOUSE_STYLE §15).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/cab/cab_types.hpp"
#include "hub/common/config_table.hpp"
#include "hub/common/status.hpp"

namespace hub::cab {

// The patient booking window of one priority at one service (RULES §3.1 "polling range and
// per-priority patient booking window"; §8 "slot type must match priority").
struct BookingWindowRule {
  int start_hours = 24;  // window opens this many hours after now (e-RS: at least 1)
  int end_days = 0;      // window closes at the end of the London day now + end_days; 0 = the
                         // service's polling range
  std::vector<SlotType> slot_types;  // slot types this priority may be booked into
};

// One e-RS directly bookable service (RULES §3.1, §8).
struct ServiceDef {
  std::string service_id;  // e-RS Service ID, digits
  std::string name;
  std::string specialty;    // e-RS SPECIALTY code
  std::string clinic_type;  // e-RS CLINIC-TYPE code
  std::vector<std::string> clinic_codes;
  std::vector<Priority> priorities;               // accepted, in config order
  std::map<Priority, BookingWindowRule> windows;  // one per accepted priority
  AgeSexCriteria criteria;
  int slot_reservation_days = 0;  // 0, 1 or 2 (RULES §2.5, §8)
  int polling_range_days = 84;
  std::string where;  // "cab.toml:57" for messages

  bool Accepts(Priority p) const;
  const BookingWindowRule* Window(Priority p) const;
  // The most urgent accepted priority.
  Priority MostUrgent() const;
};

struct HttpOptions {
  std::string listen_address = "127.0.0.1";
  std::uint16_t listen_port = 8091;
  // Base of fullUrl and link urls, e.g. "https://cab.trust.nhs.uk". "" = "http://" + the
  // request's Host header.
  std::string public_base_url;
  int io_threads = 2;
  std::size_t max_connections = 256;
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_header_bytes = 8 * 1024;
  int request_timeout_ms = 10'000;  // to receive one whole request
  int idle_timeout_ms = 30'000;     // keep-alive connection with no request
};

struct GatewayOptions {
  int threads = 4;
  std::size_t max_pending = 256;  // calls queued or running; more are refused with 503
  // e-RS gives a booking 2 minutes (RULES §3.1, §9); we answer inside it, with a margin.
  int booking_deadline_ms = 110'000;
  int call_deadline_ms = 10'000;  // deferrals and other calls
};

struct SearchOptions {
  Priority default_priority = Priority::kRoutine;  // when appointmentType is absent
  int default_count = 20;                          // when _count is absent (A015: 1..100)
};

struct ReconcileOptions {
  int interval_s = 900;
  std::string ers_services_file;    // A035 HealthcareService Bundle (R4); "" = not compared
  std::size_t max_slots = 200'000;  // bound on one snapshot of free slots
  std::vector<std::string> unpublished_clinics;  // clinics deliberately not on e-RS
  // Mapped clinics may also hold FOLLOW_UP slots (mixed new/follow-up sessions); those slots are
  // never published. false: each such clinic is drift (RULES §8 advises separate new and
  // follow-up clinics).
  bool allow_mixed_sessions = false;
};

// Contact days on deferral per priority (RULES §1.10, §9: 40 / 10 / 5).
struct ContactDays {
  int routine = 40;
  int urgent = 10;
  int two_week_wait = 5;
  int For(Priority p) const;
};

struct CabConfig {
  HttpOptions http;
  GatewayOptions gateway;
  SearchOptions search;
  ReconcileOptions reconcile;
  ContactDays contact_days;
  std::vector<ServiceDef> services;

  const ServiceDef* FindService(std::string_view service_id) const;
  // Services that map `clinic_code`.
  std::vector<const ServiceDef*> ServicesForClinic(std::string_view clinic_code) const;
  bool IsUnpublished(std::string_view clinic_code) const;
};

// Reads config/cab.toml. `ers_services_file` is resolved against the file's folder. Errors name
// the file, line and key.
Result<CabConfig> LoadCabConfig(const std::string& path);
// Reads cab.toml text; `origin` stands for the file name in messages and `base_dir` is the folder
// relative paths are resolved against.
Result<CabConfig> ParseCabConfig(const std::string& text, const std::string& origin,
                                 const std::string& base_dir = "");

}  // namespace hub::cab
