// Structural FHIR STU3 validation of the adapter's resources (definitions from the STU3
// specification, hl7.org/fhir/STU3: Bundle, Slot, Schedule, Appointment, OperationOutcome and the
// data types Extension, Coding, CodeableConcept, Identifier, Reference, Period, Meta, Narrative).
#include "adapters/cab/fhir_validator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "adapters/cab/cab_types.hpp"

namespace hub::cab {
namespace {

using Json = nlohmann::json;

enum class T {
  kString,
  kCode,
  kId,
  kUri,
  kInstant,
  kDateTime,
  kBoolean,
  kUnsignedInt,
  kPositiveInt,
  kDecimal,
  kXhtml,
  kComplex,
  kResource,
  kAny
};

struct Complex;
struct Element {
  std::string_view name;
  int min = 0;
  bool many = false;
  T type = T::kString;
  const Complex* complex = nullptr;
  std::vector<std::string_view> codes;  // required binding, when not empty
};
struct Complex {
  std::string_view name;
  std::vector<Element> elements;
};

Element E(std::string_view name, int min, bool many, T type,
          std::vector<std::string_view> codes = {}) {
  return Element{name, min, many, type, nullptr, std::move(codes)};
}
Element C(std::string_view name, int min, bool many, const Complex& complex) {
  return Element{name, min, many, T::kComplex, &complex, {}};
}

// Element ids and extensions allowed on every complex type.
std::vector<Element> WithElementBase(std::vector<Element> elements, const Complex& extension) {
  elements.push_back(E("id", 0, false, T::kString));
  elements.push_back(C("extension", 0, true, extension));
  return elements;
}

constexpr std::string_view kIssueTypes[] = {
    "invalid",       "structure",     "required",  "value",      "invariant",    "security",
    "login",         "unknown",       "expired",   "forbidden",  "suppressed",   "processing",
    "not-supported", "duplicate",     "not-found", "too-long",   "code-invalid", "extension",
    "too-costly",    "business-rule", "conflict",  "incomplete", "transient",    "lock-error",
    "no-store",      "exception",     "timeout",   "throttled",  "informational"};

struct Types {
  Complex extension{"Extension", {}};
  Complex coding{"Coding", {}};
  Complex codeable{"CodeableConcept", {}};
  Complex period{"Period", {}};
  Complex reference{"Reference", {}};
  Complex identifier{"Identifier", {}};
  Complex meta{"Meta", {}};
  Complex narrative{"Narrative", {}};
  Complex bundle_link{"Bundle.link", {}};
  Complex bundle_search{"Bundle.entry.search", {}};
  Complex bundle_request{"Bundle.entry.request", {}};
  Complex bundle_response{"Bundle.entry.response", {}};
  Complex bundle_entry{"Bundle.entry", {}};
  Complex participant{"Appointment.participant", {}};
  Complex oo_issue{"OperationOutcome.issue", {}};
  std::map<std::string_view, std::vector<Element>> resources;

  Types() {
    extension.elements = {E("id", 0, false, T::kString), C("extension", 0, true, extension),
                          E("url", 1, false, T::kUri), E("value[x]", 0, false, T::kAny)};
    coding.elements =
        WithElementBase({E("system", 0, false, T::kUri), E("version", 0, false, T::kString),
                         E("code", 0, false, T::kCode), E("display", 0, false, T::kString),
                         E("userSelected", 0, false, T::kBoolean)},
                        extension);
    codeable.elements =
        WithElementBase({C("coding", 0, true, coding), E("text", 0, false, T::kString)}, extension);
    period.elements = WithElementBase(
        {E("start", 0, false, T::kDateTime), E("end", 0, false, T::kDateTime)}, extension);
    identifier.elements =
        WithElementBase({E("use", 0, false, T::kCode, {"usual", "official", "temp", "secondary"}),
                         C("type", 0, false, codeable), E("system", 0, false, T::kUri),
                         E("value", 0, false, T::kString), C("period", 0, false, period),
                         C("assigner", 0, false, reference)},
                        extension);
    reference.elements =
        WithElementBase({E("reference", 0, false, T::kString),
                         C("identifier", 0, false, identifier), E("display", 0, false, T::kString)},
                        extension);
    meta.elements = WithElementBase(
        {E("versionId", 0, false, T::kId), E("lastUpdated", 0, false, T::kInstant),
         E("profile", 0, true, T::kUri), C("security", 0, true, coding), C("tag", 0, true, coding)},
        extension);
    narrative.elements = WithElementBase(
        {E("status", 1, false, T::kCode, {"generated", "extensions", "additional", "empty"}),
         E("div", 1, false, T::kXhtml)},
        extension);
    bundle_link.elements = WithElementBase(
        {E("relation", 1, false, T::kString), E("url", 1, false, T::kUri)}, extension);
    bundle_search.elements =
        WithElementBase({E("mode", 0, false, T::kCode, {"match", "include", "outcome"}),
                         E("score", 0, false, T::kDecimal)},
                        extension);
    bundle_request.elements = WithElementBase(
        {E("method", 1, false, T::kCode, {"GET", "POST", "PUT", "DELETE"}),
         E("url", 1, false, T::kUri), E("ifNoneMatch", 0, false, T::kString),
         E("ifModifiedSince", 0, false, T::kInstant), E("ifMatch", 0, false, T::kString),
         E("ifNoneExist", 0, false, T::kString)},
        extension);
    bundle_response.elements =
        WithElementBase({E("status", 1, false, T::kString), E("location", 0, false, T::kUri),
                         E("etag", 0, false, T::kString), E("lastModified", 0, false, T::kInstant),
                         E("outcome", 0, false, T::kResource)},
                        extension);
    bundle_entry.elements = WithElementBase(
        {C("link", 0, true, bundle_link), E("fullUrl", 0, false, T::kUri),
         E("resource", 0, false, T::kResource), C("search", 0, false, bundle_search),
         C("request", 0, false, bundle_request), C("response", 0, false, bundle_response)},
        extension);
    participant.elements = WithElementBase(
        {C("type", 0, true, codeable), C("actor", 0, false, reference),
         E("required", 0, false, T::kCode, {"required", "optional", "information-only"}),
         E("status", 1, false, T::kCode, {"accepted", "declined", "tentative", "needs-action"})},
        extension);
    oo_issue.elements = WithElementBase(
        {E("severity", 1, false, T::kCode, {"fatal", "error", "warning", "information"}),
         E("code", 1, false, T::kCode, {std::begin(kIssueTypes), std::end(kIssueTypes)}),
         C("details", 0, false, codeable), E("diagnostics", 0, false, T::kString),
         E("location", 0, true, T::kString), E("expression", 0, true, T::kString)},
        extension);

    const std::vector<Element> base = {E("resourceType", 1, false, T::kString),
                                       E("id", 0, false, T::kId), C("meta", 0, false, meta),
                                       E("implicitRules", 0, false, T::kUri),
                                       E("language", 0, false, T::kCode)};
    std::vector<Element> domain = base;
    domain.push_back(C("text", 0, false, narrative));
    domain.push_back(E("contained", 0, true, T::kResource));
    domain.push_back(C("extension", 0, true, extension));
    domain.push_back(C("modifierExtension", 0, true, extension));
    auto with = [](std::vector<Element> head, std::vector<Element> tail) {
      head.insert(head.end(), tail.begin(), tail.end());
      return head;
    };
    // STU3 Bundle is a Resource, not a DomainResource: no text, contained or extension.
    resources["Bundle"] =
        with(base, {C("identifier", 0, false, identifier),
                    E("type", 1, false, T::kCode,
                      {"document", "message", "transaction", "transaction-response", "batch",
                       "batch-response", "history", "searchset", "collection"}),
                    E("total", 0, false, T::kUnsignedInt), C("link", 0, true, bundle_link),
                    C("entry", 0, true, bundle_entry), E("signature", 0, false, T::kAny)});
    resources["Slot"] = with(
        domain, {C("identifier", 0, true, identifier), C("serviceCategory", 0, false, codeable),
                 C("serviceType", 0, true, codeable), C("specialty", 0, true, codeable),
                 C("appointmentType", 0, false, codeable), C("schedule", 1, false, reference),
                 E("status", 1, false, T::kCode,
                   {"busy", "free", "busy-unavailable", "busy-tentative", "entered-in-error"}),
                 E("start", 1, false, T::kInstant), E("end", 1, false, T::kInstant),
                 E("overbooked", 0, false, T::kBoolean), E("comment", 0, false, T::kString)});
    resources["Schedule"] =
        with(domain, {C("identifier", 0, true, identifier), E("active", 0, false, T::kBoolean),
                      C("serviceCategory", 0, false, codeable), C("serviceType", 0, true, codeable),
                      C("specialty", 0, true, codeable), C("actor", 1, true, reference),
                      C("planningHorizon", 0, false, period), E("comment", 0, false, T::kString)});
    resources["Appointment"] =
        with(domain, {C("identifier", 0, true, identifier),
                      E("status", 1, false, T::kCode,
                        {"proposed", "pending", "booked", "arrived", "fulfilled", "cancelled",
                         "noshow", "entered-in-error"}),
                      C("serviceCategory", 0, false, codeable),
                      C("serviceType", 0, true, codeable),
                      C("specialty", 0, true, codeable),
                      C("appointmentType", 0, false, codeable),
                      C("reason", 0, true, codeable),
                      C("indication", 0, true, reference),
                      E("priority", 0, false, T::kUnsignedInt),
                      E("description", 0, false, T::kString),
                      C("supportingInformation", 0, true, reference),
                      E("start", 0, false, T::kInstant),
                      E("end", 0, false, T::kInstant),
                      E("minutesDuration", 0, false, T::kPositiveInt),
                      C("slot", 0, true, reference),
                      E("created", 0, false, T::kDateTime),
                      E("comment", 0, false, T::kString),
                      C("incomingReferral", 0, true, reference),
                      C("participant", 1, true, participant),
                      C("requestedPeriod", 0, true, period)});
    resources["OperationOutcome"] = with(domain, {C("issue", 1, true, oo_issue)});
  }
};

const Types& Defs() {
  static const Types types;
  return types;
}

// Code systems and identifier systems the adapter uses, with their codes where they are closed.
const std::map<std::string_view, std::set<std::string_view>>& KnownCodeSystems() {
  static const std::map<std::string_view, std::set<std::string_view>> systems = {
      {kPrioritySystem, {"ROUTINE", "URGENT", "TWO_WEEK_WAIT"}},
      {kReviewReasonSystem,
       {"NO_SLOTS_AT_SERVICE", "SLOT_NOT_AVAILABLE", "BOOKING_ATTEMPT_PROBLEM", "TRIAGE"}},
      // e-RS API error codes of the A015/A016 error tables and the 5xx responses.
      {kApiErrorCodeSystem,
       {"REFERENCE_NOT_FOUND", "INVALID_VALUE", "INVALID_CODE", "MISSING_PARAMETER",
        "MISSING_HEADER", "INVALID_STATE", "SERVICE_UNAVAILABLE", "NO_RELATIONSHIP",
        "INAPPROPRIATE_VALUE", "INVALID_REQUEST_STATE", "MISSING_VALUE", "PATIENT_ERROR",
        "INAPPROPRIATE_SLOT", "SLOT_NOT_AVAILABLE", "UNABLE_TO_CONFIRM_APPOINTMENT",
        "SLOTS_CURRENTLY_AVAILABLE", "THIS_SLOT_IS_AVAILABLE", "PAS_NOT_RESPONDING", "NO_ACCESS"}},
      {kParticipantTypeSystem,
       {"ADM", "ATND", "CALLBCK", "CON", "DIS", "ESC", "REF", "SPRF", "PPRF", "PART", "translator",
        "emergency"}},
  };
  return systems;
}

const std::set<std::string_view>& KnownIdentifierSystems() {
  static const std::set<std::string_view> systems = {kServiceIdSystem,
                                                     kNhsNumberSystem,
                                                     kSdsUserIdSystem,
                                                     kScheduleIdSystem,
                                                     kAlternativeSlotSystem,
                                                     "https://fhir.nhs.uk/Id/ods-organization-code",
                                                     "https://fhir.nhs.uk/Id/ers-request-id"};
  return systems;
}

bool IsId(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
}

bool Matches(std::string_view s, const std::regex& re) {
  return std::regex_match(s.begin(), s.end(), re);
}

bool IsInstant(std::string_view s) {
  static const std::regex re(
      R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))");
  return Matches(s, re);
}

bool IsDateTime(std::string_view s) {
  static const std::regex re(
      R"(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?)");
  return Matches(s, re);
}

bool IsCode(std::string_view s) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s.front())) ||
      std::isspace(static_cast<unsigned char>(s.back()))) {
    return false;
  }
  return s.find("  ") == std::string_view::npos;
}

bool IsUri(std::string_view s) {
  return !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c));
  });
}

bool IsAbsoluteUrl(std::string_view s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0 ||
         s.rfind("urn:uuid:", 0) == 0 || s.rfind("urn:oid:", 0) == 0;
}

// "Type/id" or "Type/id/_history/vid" -> "Type/id"; "" when not a relative reference.
std::string RelativeTarget(std::string_view ref) {
  static const std::regex re(
      R"(([A-Z][A-Za-z]+)/([A-Za-z0-9\-\.]{1,64})(/_history/[A-Za-z0-9\-\.]{1,64})?)");
  std::cmatch m;
  if (!std::regex_match(ref.begin(), ref.end(), m, re)) return "";
  return m[1].str() + "/" + m[2].str();
}

std::string Child(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

class Validator {
 public:
  std::vector<ValidationIssue> Run(const Json& resource) {
    Resource(resource, "");
    return std::move(issues_);
  }

 private:
  struct BundleRefs {
    std::vector<std::pair<std::string, std::string>> refs;  // path, reference
  };

  void Issue(const std::string& path, std::string message) {
    issues_.push_back({path, std::move(message)});
  }

  void Resource(const Json& r, const std::string& path) {
    if (!r.is_object()) return Issue(path, "a resource must be a JSON object");
    auto type_it = r.find("resourceType");
    if (type_it == r.end() || !type_it->is_string()) {
      return Issue(Child(path, "resourceType"), "is required and must be a string");
    }
    const std::string type = type_it->get<std::string>();
    auto def = Defs().resources.find(type);
    if (def == Defs().resources.end()) {
      return Issue(Child(path, "resourceType"),
                   fmt::format("'{}' is not a resource type this validator knows", type));
    }
    BundleRefs* outer = refs_;
    BundleRefs mine;
    if (type == "Bundle") refs_ = &mine;
    Object(r, def->second, path, type);
    if (type == "Bundle") {
      BundleRules(r, path, mine);
      refs_ = outer;
    } else if (type == "Appointment") {
      AppointmentRules(r, path);
    }
  }

  void Object(const Json& obj, const std::vector<Element>& elements, const std::string& path,
              std::string_view type_name) {
    if (!obj.is_object()) return Issue(path, fmt::format("must be a JSON object ({})", type_name));
    if (obj.empty()) return Issue(path, "an element must have a value or children (empty object)");
    const Element* choice = nullptr;
    for (const Element& e : elements) {
      if (e.name == "value[x]") choice = &e;
    }
    int choice_count = 0;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const std::string& key = it.key();
      const std::string_view base = key[0] == '_' ? std::string_view(key).substr(1) : key;
      const bool known = std::any_of(elements.begin(), elements.end(),
                                     [&](const Element& e) { return e.name == base; });
      if (choice != nullptr && base.rfind("value", 0) == 0 && base.size() > 5 &&
          std::isupper(static_cast<unsigned char>(base[5]))) {
        if (key[0] != '_') ++choice_count;
        continue;
      }
      if (!known) {
        Issue(Child(path, key), fmt::format("is not an element of {} in FHIR STU3", type_name));
      }
    }
    if (choice_count > 1) Issue(path, "more than one value[x]");
    for (const Element& e : elements) {
      if (e.name == "value[x]") continue;
      const std::string p = Child(path, e.name);
      auto it = obj.find(std::string(e.name));
      if (it == obj.end() || it->is_null()) {
        if (it != obj.end()) Issue(p, "null is not allowed in FHIR JSON");
        if (e.min > 0 && !obj.contains(fmt::format("_{}", e.name))) {
          Issue(p, fmt::format("is required ({}..{})", e.min, e.many ? "*" : "1"));
        }
        continue;
      }
      if (e.many) {
        if (!it->is_array()) {
          Issue(p, "must be an array (0..*)");
          continue;
        }
        if (it->empty()) Issue(p, "an empty array is not allowed in FHIR JSON");
        for (std::size_t i = 0; i < it->size(); ++i) {
          Value((*it)[i], e, fmt::format("{}[{}]", p, i));
        }
      } else {
        if (it->is_array()) {
          Issue(p, "must not be an array (0..1)");
          continue;
        }
        Value(*it, e, p);
      }
    }
  }

  void Value(const Json& v, const Element& e, const std::string& path) {
    auto need_string = [&]() -> const std::string* {
      if (!v.is_string()) {
        Issue(path, "must be a string");
        return nullptr;
      }
      const std::string& s = v.get_ref<const std::string&>();
      if (s.empty()) {
        Issue(path, "must not be an empty string");
        return nullptr;
      }
      return &s;
    };
    switch (e.type) {
      case T::kString:
      case T::kXhtml:
        need_string();
        break;
      case T::kCode:
        if (const std::string* s = need_string()) {
          if (!IsCode(*s)) Issue(path, fmt::format("'{}' is not a valid code", *s));
          if (!e.codes.empty() && std::find(e.codes.begin(), e.codes.end(), *s) == e.codes.end()) {
            Issue(path, fmt::format("'{}' is not in the required value set", *s));
          }
        }
        break;
      case T::kId:
        if (const std::string* s = need_string()) {
          if (!IsId(*s))
            Issue(path, fmt::format("'{}' is not a FHIR id ([A-Za-z0-9-.]{{1,64}})", *s));
        }
        break;
      case T::kUri:
        if (const std::string* s = need_string()) {
          if (!IsUri(*s)) Issue(path, fmt::format("'{}' is not a uri", *s));
        }
        break;
      case T::kInstant:
        if (const std::string* s = need_string()) {
          if (!IsInstant(*s))
            Issue(path, fmt::format("'{}' is not an instant (with time zone)", *s));
        }
        break;
      case T::kDateTime:
        if (const std::string* s = need_string()) {
          if (!IsDateTime(*s)) Issue(path, fmt::format("'{}' is not a dateTime", *s));
        }
        break;
      case T::kBoolean:
        if (!v.is_boolean()) Issue(path, "must be true or false");
        break;
      case T::kUnsignedInt:
        if (!v.is_number_integer() || v.get<std::int64_t>() < 0) {
          Issue(path, "must be a whole number >= 0");
        }
        break;
      case T::kPositiveInt:
        if (!v.is_number_integer() || v.get<std::int64_t>() < 1) {
          Issue(path, "must be a whole number >= 1");
        }
        break;
      case T::kDecimal:
        if (!v.is_number()) Issue(path, "must be a number");
        break;
      case T::kAny:
        break;
      case T::kResource:
        Resource(v, path);
        break;
      case T::kComplex:
        Object(v, e.complex->elements, path, e.complex->name);
        if (v.is_object()) ComplexRules(v, *e.complex, path);
        break;
    }
  }

  void ComplexRules(const Json& v, const Complex& type, const std::string& path) {
    const Types& d = Defs();
    auto str = [&](const char* key) -> std::string {
      auto it = v.find(key);
      return it != v.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (&type == &d.coding) {
      const std::string system = str("system");
      const std::string code = str("code");
      if (system.empty()) return Issue(path, "a Coding needs a system");
      auto known = KnownCodeSystems().find(system);
      if (known == KnownCodeSystems().end()) {
        return Issue(Child(path, "system"), fmt::format("'{}' is not a code system this adapter "
                                                        "uses",
                                                        system));
      }
      if (code.empty() || !known->second.count(code)) {
        Issue(Child(path, "code"), fmt::format("'{}' is not a code of {}", code, system));
      }
    } else if (&type == &d.identifier) {
      const std::string system = str("system");
      if (!system.empty() && !KnownIdentifierSystems().count(system)) {
        Issue(Child(path, "system"), fmt::format("'{}' is not an identifier system this adapter "
                                                 "uses",
                                                 system));
      }
      if (system == kNhsNumberSystem) {
        const std::string value = str("value");
        if (value.size() != 10 || !std::all_of(value.begin(), value.end(), ::isdigit)) {
          Issue(Child(path, "value"), "an NHS number is 10 digits");
        }
      }
    } else if (&type == &d.reference) {
      const std::string ref = str("reference");
      if (ref.empty()) return;
      if (ref[0] == '#') return;  // contained: not used by the adapter
      if (!IsAbsoluteUrl(ref) && RelativeTarget(ref).empty()) {
        return Issue(
            Child(path, "reference"),
            fmt::format("'{}' is not Type/id[/_history/vid], #id or an absolute URL", ref));
      }
      if (refs_ != nullptr) refs_->refs.emplace_back(Child(path, "reference"), ref);
    } else if (&type == &d.period) {
      const std::string start = str("start");
      const std::string end = str("end");
      if (!start.empty() && !end.empty() && start.size() == end.size() && end < start) {
        Issue(path, "per-1: end is before start");
      }
    }
  }

  void AppointmentRules(const Json& a, const std::string& path) {
    const bool has_start = a.contains("start");
    const bool has_end = a.contains("end");
    if (has_start != has_end) Issue(path, "app-2: either start and end are given, or neither");
    const std::string status = a.value("status", "");
    if ((!has_start || !has_end) && status != "proposed" && status != "cancelled") {
      Issue(path, "app-3: only proposed or cancelled appointments may lack start/end");
    }
    if (has_start && has_end && a["start"].is_string() && a["end"].is_string() &&
        a["end"].get<std::string>() < a["start"].get<std::string>()) {
      Issue(path, "end is before start");
    }
    if (auto it = a.find("participant"); it != a.end() && it->is_array()) {
      for (std::size_t i = 0; i < it->size(); ++i) {
        const Json& p = (*it)[i];
        if (p.is_object() && !p.contains("type") && !p.contains("actor")) {
          Issue(fmt::format("{}[{}]", Child(path, "participant"), i),
                "app-1: a participant needs a type or an actor");
        }
      }
    }
  }

  void BundleRules(const Json& b, const std::string& path, const BundleRefs& refs) {
    const std::string type = b.value("type", "");
    if (b.contains("total") && type != "searchset" && type != "history") {
      Issue(Child(path, "total"), "bdl-1: total only when a search or history");
    }
    if (auto links = b.find("link"); links != b.end() && links->is_array()) {
      for (std::size_t i = 0; i < links->size(); ++i) {
        const Json& l = (*links)[i];
        if (l.is_object() && l.contains("url") && l["url"].is_string() &&
            !IsAbsoluteUrl(l["url"].get<std::string>())) {
          Issue(fmt::format("{}[{}].url", Child(path, "link"), i), "a link url must be absolute");
        }
      }
    }
    auto entries = b.find("entry");
    if (entries == b.end() || !entries->is_array()) return;
    std::set<std::string> full_urls;
    std::set<std::string> targets;  // "Type/id" of entries
    std::size_t matches = 0;
    for (std::size_t i = 0; i < entries->size(); ++i) {
      const Json& e = (*entries)[i];
      const std::string p = fmt::format("{}[{}]", Child(path, "entry"), i);
      if (!e.is_object()) continue;
      const bool has_resource = e.contains("resource");
      if (!has_resource && !e.contains("request") && !e.contains("response")) {
        Issue(p, "bdl-5: an entry needs a resource, a request or a response");
      }
      if (e.contains("search") && type != "searchset") {
        Issue(Child(p, "search"), "bdl-2: entry.search only in a searchset");
      }
      const bool needs_request = type == "batch" || type == "transaction" || type == "history";
      if (e.contains("request") != needs_request) {
        Issue(Child(p, "request"), needs_request ? "bdl-3: entry.request is required"
                                                 : "bdl-3: entry.request is not allowed");
      }
      const bool needs_response =
          type == "batch-response" || type == "transaction-response" || type == "history";
      if (e.contains("response") != needs_response) {
        Issue(Child(p, "response"), needs_response ? "bdl-4: entry.response is required"
                                                   : "bdl-4: entry.response is not allowed");
      }
      if (type == "searchset") {
        const auto search = e.find("search");
        if (search == e.end() || !search->is_object() || !search->contains("mode")) {
          Issue(Child(p, "search.mode"), "every searchset entry says match or include");
        } else if ((*search)["mode"] == "match") {
          ++matches;
        }
      }
      const std::string full_url = e.value("fullUrl", "");
      if (has_resource && e["resource"].is_object()) {
        const Json& r = e["resource"];
        const std::string rtype = r.value("resourceType", "");
        const std::string id =
            r.contains("id") && r["id"].is_string() ? r["id"].get<std::string>() : "";
        if (!full_url.empty()) {
          if (!IsAbsoluteUrl(full_url)) Issue(Child(p, "fullUrl"), "must be an absolute URL");
          if (!id.empty() && full_url.rfind("urn:", 0) != 0 &&
              !(full_url.size() > rtype.size() + id.size() + 1 &&
                full_url.compare(full_url.size() - rtype.size() - id.size() - 2, std::string::npos,
                                 fmt::format("/{}/{}", rtype, id)) == 0)) {
            Issue(Child(p, "fullUrl"),
                  fmt::format("'{}' disagrees with the resource ({}/{})", full_url, rtype, id));
          }
          if (!full_urls.insert(full_url).second) {
            Issue(Child(p, "fullUrl"), "bdl-7: fullUrl must be unique in the Bundle");
          }
        } else if (type == "searchset") {
          Issue(Child(p, "fullUrl"), "a search result entry needs its fullUrl");
        }
        if (!rtype.empty() && !id.empty()) targets.insert(fmt::format("{}/{}", rtype, id));
      }
    }
    if (type == "searchset" && b.contains("total") && b["total"].is_number_integer() &&
        b["total"].get<std::int64_t>() < static_cast<std::int64_t>(matches)) {
      Issue(Child(path, "total"), fmt::format("is {} but the page has {} match entries",
                                              b["total"].get<std::int64_t>(), matches));
    }
    for (const auto& [ref_path, ref] : refs.refs) {
      if (IsAbsoluteUrl(ref)) {
        if (!full_urls.count(ref))
          Issue(ref_path, fmt::format("'{}' does not resolve within the "
                                      "Bundle",
                                      ref));
        continue;
      }
      const std::string target = RelativeTarget(ref);
      if (!targets.count(target)) {
        Issue(ref_path, fmt::format("'{}' does not resolve to an entry of the Bundle", ref));
      }
    }
  }

  std::vector<ValidationIssue> issues_;
  BundleRefs* refs_ = nullptr;
};

}  // namespace

std::vector<ValidationIssue> ValidateStu3Resource(const nlohmann::json& resource) {
  return Validator().Run(resource);
}

std::vector<ValidationIssue> ValidateStu3Json(std::string_view text) {
  auto parsed = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return {{"", "not valid JSON"}};
  return ValidateStu3Resource(parsed);
}

std::string FormatIssues(const std::vector<ValidationIssue>& issues) {
  std::string out;
  for (const ValidationIssue& i : issues) {
    if (!out.empty()) out += "; ";
    out += (i.path.empty() ? std::string("(root)") : i.path) + ": " + i.message;
  }
  return out;
}

}  // namespace hub::cab
