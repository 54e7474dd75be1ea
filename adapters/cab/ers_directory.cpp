// Reading e-RS R4 HealthcareService definitions (A035 / A033).
#include "adapters/cab/ers_directory.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "adapters/ers/fhir_json.hpp"

namespace hub::cab {
namespace {

using ers::Json;
using ers::JsonView;

Result<std::optional<bool>> OptBool(const JsonView& v) {
  if (!v.present()) {
    // A view whose ancestor had the wrong type reports it on any read.
    HUB_RETURN_IF_ERROR(v.OptString().status());
    return std::optional<bool>();
  }
  if (!v.node()->is_boolean()) return v.Invalid("must be true or false");
  return std::optional<bool>(v.node()->get<bool>());
}

Result<std::optional<std::int64_t>> OptWhole(const JsonView& v) {
  HUB_ASSIGN_OR_RETURN(auto value, v.OptInteger());
  if (value && *value < 0) return v.Invalid("must not be negative");
  return value;
}

bool IsClinicTypeSystem(std::string_view system) {
  return system.find("CLINIC-TYPE") != std::string_view::npos ||
         system.find("eRS-ClinicType") != std::string_view::npos;
}

Status ReadCodings(const JsonView& concept_view, ErsService* out, bool is_type) {
  HUB_ASSIGN_OR_RETURN(auto codings, concept_view["coding"].OptArray());
  for (const JsonView& coding : codings) {
    HUB_ASSIGN_OR_RETURN(auto system, coding["system"].OptString());
    HUB_ASSIGN_OR_RETURN(auto code, coding["code"].OptString());
    if (!code) continue;
    const std::string sys = system.value_or("");
    if (is_type) {
      if (sys == kAppointmentTypeSystem) {
        out->appointment_types.push_back(*code);
      } else if (IsClinicTypeSystem(sys)) {
        out->clinic_types.push_back(*code);
      }
      continue;
    }
    if (sys == kBookableTypeSystem) {
      if (*code != "DIRECTLY_BOOKABLE" && *code != "INDIRECTLY_BOOKABLE") {
        return coding["code"].Invalid(
            fmt::format("'{}' is not DIRECTLY_BOOKABLE or INDIRECTLY_BOOKABLE", *code));
      }
      out->directly_bookable = *code == "DIRECTLY_BOOKABLE";
    } else if (sys == kRequestFlowTypeSystem) {
      out->request_flows.push_back(*code);
    } else if (sys == kPrioritySystem) {
      auto p = PriorityFromCode(*code);
      if (!p) return coding["code"].Invalid(fmt::format("'{}' is not an e-RS priority", *code));
      out->priorities.push_back(*p);
    }
  }
  return Status::Ok();
}

Status ReadCriteria(const JsonView& resource, ErsService* out) {
  HUB_ASSIGN_OR_RETURN(auto ext, ers::FindExtension(resource, kAgeSexCriteriaExtension));
  if (!ext) return Status::Ok();
  AgeSexCriteria c;
  HUB_ASSIGN_OR_RETURN(auto sex_ext, ers::FindExtension(*ext, "sex"));
  if (sex_ext) {
    HUB_ASSIGN_OR_RETURN(std::string sex, (*sex_ext)["valueCode"].String());
    auto value = SexCriterionFromName(sex);
    if (!value) return (*sex_ext)["valueCode"].Invalid("must be any, female or male");
    c.sex = *value;
  }
  HUB_ASSIGN_OR_RETURN(auto min_ext, ers::FindExtension(*ext, "minAgeYears"));
  if (min_ext) {
    HUB_ASSIGN_OR_RETURN(auto v, OptWhole((*min_ext)["valueUnsignedInt"]));
    c.min_age_years = static_cast<int>(v.value_or(0));
  }
  HUB_ASSIGN_OR_RETURN(auto max_ext, ers::FindExtension(*ext, "maxAgeYears"));
  if (max_ext) {
    HUB_ASSIGN_OR_RETURN(auto v, OptWhole((*max_ext)["valueUnsignedInt"]));
    if (v) c.max_age_years = static_cast<int>(*v);
  }
  out->criteria = c;
  return Status::Ok();
}

Result<ErsService> ReadService(const JsonView& resource) {
  ErsService s;
  HUB_ASSIGN_OR_RETURN(s.service_id, resource["id"].String());
  if (s.service_id.empty()) return resource["id"].Invalid("must not be empty");
  HUB_ASSIGN_OR_RETURN(auto name, resource["name"].OptString());
  s.name = name.value_or("");
  HUB_ASSIGN_OR_RETURN(auto active, OptBool(resource["active"]));
  s.active = active.value_or(true);
  const JsonView type = resource["type"];
  if (type.present() && type.node()->is_object()) {
    HUB_RETURN_IF_ERROR(ReadCodings(type, &s, /*is_type=*/true));
  } else {
    HUB_ASSIGN_OR_RETURN(auto types, type.OptArray());
    for (const JsonView& t : types) HUB_RETURN_IF_ERROR(ReadCodings(t, &s, /*is_type=*/true));
  }
  HUB_ASSIGN_OR_RETURN(auto specialties, resource["specialty"].OptArray());
  for (const JsonView& sp : specialties) {
    HUB_ASSIGN_OR_RETURN(auto codings, sp["coding"].OptArray());
    for (const JsonView& coding : codings) {
      HUB_ASSIGN_OR_RETURN(auto code, coding["code"].OptString());
      if (code) s.specialties.push_back(*code);
    }
  }
  HUB_ASSIGN_OR_RETURN(auto characteristics, resource["characteristic"].OptArray());
  for (const JsonView& c : characteristics) {
    HUB_RETURN_IF_ERROR(ReadCodings(c, &s, /*is_type=*/false));
  }
  HUB_RETURN_IF_ERROR(ReadCriteria(resource, &s));
  HUB_ASSIGN_OR_RETURN(auto locations, resource["location"].OptArray());
  for (const JsonView& loc : locations) {
    HUB_ASSIGN_OR_RETURN(auto site, loc["identifier"]["value"].OptString());
    if (site) s.site_codes.push_back(*site);
  }
  return s;
}

Status RequireType(const JsonView& resource, std::string_view wanted) {
  HUB_ASSIGN_OR_RETURN(std::string type, resource["resourceType"].String());
  if (type != wanted) {
    return resource["resourceType"].Invalid(fmt::format("is '{}', expected '{}'", type, wanted));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ErsService>> ParseHealthcareServices(std::string_view json_text) {
  HUB_ASSIGN_OR_RETURN(Json doc, ers::ParseJson(json_text));
  const JsonView root(doc);
  HUB_RETURN_IF_ERROR(root.RequireObject());
  HUB_ASSIGN_OR_RETURN(std::string type, root["resourceType"].String());
  std::vector<ErsService> out;
  if (type == "HealthcareService") {
    HUB_ASSIGN_OR_RETURN(ErsService s, ReadService(root));
    out.push_back(std::move(s));
    return out;
  }
  if (type != "Bundle") {
    return root["resourceType"].Invalid(
        fmt::format("is '{}', expected 'Bundle' (A035) or 'HealthcareService' (A033)", type));
  }
  HUB_ASSIGN_OR_RETURN(auto entries, root["entry"].OptArray());
  for (const JsonView& entry : entries) {
    HUB_ASSIGN_OR_RETURN(auto mode, entry["search"]["mode"].OptString());
    if (mode && *mode == "outcome") continue;
    const JsonView resource = entry["resource"];
    HUB_RETURN_IF_ERROR(resource.RequireObject());
    HUB_RETURN_IF_ERROR(RequireType(resource, "HealthcareService"));
    HUB_ASSIGN_OR_RETURN(ErsService s, ReadService(resource));
    if (FindErsService(out, s.service_id) != nullptr) {
      return resource["id"].Invalid(fmt::format("service {} appears twice", s.service_id));
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<ErsService>> LoadErsServices(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(fmt::format("{}: cannot be opened", path));
  std::ostringstream text;
  text << in.rdbuf();
  auto services = ParseHealthcareServices(text.str());
  if (!services.ok()) {
    const Status& s = services.status();
    return Status::InvalidArgument(
        fmt::format("{}: {}{}", path, s.field().empty() ? "" : s.field() + ": ", s.message()),
        s.field());
  }
  return services;
}

const ErsService* FindErsService(const std::vector<ErsService>& services,
                                 std::string_view service_id) {
  for (const ErsService& s : services) {
    if (s.service_id == service_id) return &s;
  }
  return nullptr;
}

}  // namespace hub::cab
