// The e-RS side of reconciliation: service definitions read from an R4 HealthcareService search
// result (e-RS A035 GET /R4/HealthcareService, a searchset Bundle) or a single HealthcareService
// (A033). Reads what the published eRS-HealthcareService schema carries (id, name, active,
// location, type = eRS-AppointmentType, characteristic = eRS-RequestFlowType/eRS-BookableType)
// and, where present, the R4 elements and extension below for the attributes RULES §8 compares.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/cab/cab_types.hpp"
#include "hub/common/status.hpp"

namespace hub::cab {

inline constexpr std::string_view kAppointmentTypeSystem =
    "https://fhir.nhs.uk/CodeSystem/eRS-AppointmentType";
inline constexpr std::string_view kRequestFlowTypeSystem =
    "https://fhir.nhs.uk/CodeSystem/eRS-RequestFlowType";
inline constexpr std::string_view kBookableTypeSystem =
    "https://fhir.nhs.uk/CodeSystem/eRS-BookableType";
// Age and sex criteria are part of an e-RS service definition (RULES §3.1) but the published A035
// schema has no element for them. A file that carries them uses this extension on the
// HealthcareService, with sub-extensions "sex" (valueCode any|female|male), "minAgeYears" and
// "maxAgeYears" (valueUnsignedInt). Defined by this hub; absent means "not compared".
inline constexpr std::string_view kAgeSexCriteriaExtension =
    "https://booking-hub.invalid/fhir/StructureDefinition/cab-age-sex-criteria";

struct ErsService {
  std::string service_id;  // resource id (A033 path id)
  std::string name;
  bool active = true;                      // HealthcareService.active, default true
  std::optional<bool> directly_bookable;   // characteristic eRS-BookableType; nullopt = not said
  std::vector<std::string> request_flows;  // characteristic eRS-RequestFlowType: BOOKABLE, ...
  std::vector<std::string> appointment_types;  // type, eRS-AppointmentType: FIRST_OUTPATIENT, ...
  std::vector<std::string> clinic_types;  // type codings from a CLINIC-TYPE / eRS-ClinicType system
  std::vector<std::string> specialties;   // specialty codings (any system)
  std::vector<Priority> priorities;       // characteristic codings from eRS-Priority-1
  std::optional<AgeSexCriteria> criteria;  // kAgeSexCriteriaExtension
  std::vector<std::string> site_codes;     // location[].identifier.value (ODS site codes)
};

// Reads a Bundle of HealthcareServices (A035) or one HealthcareService (A033). Entries with
// search.mode "outcome" (an OperationOutcome about the search) are skipped. Errors
// (InvalidArgument) name the JSON path, e.g. "entry[1].resource.id: is required but missing".
// `type` is read as an array of CodeableConcepts and, as the A035 sandbox sample has it, also as a
// single CodeableConcept.
Result<std::vector<ErsService>> ParseHealthcareServices(std::string_view json_text);

// Reads the file, then ParseHealthcareServices; errors start with the path.
Result<std::vector<ErsService>> LoadErsServices(const std::string& path);

const ErsService* FindErsService(const std::vector<ErsService>& services,
                                 std::string_view service_id);

}  // namespace hub::cab
