// Deterministic synthetic referrals: a seeded SplitMix64 stream draws every choice, and
// permutations of the reserved number ranges keep identifiers unique without a lookup table.
#include "hub/booking/demo_referrals.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <string_view>

#include "hub/booking/nhs_number.hpp"
#include "hub/booking/waiting_list.hpp"

namespace hub::booking {

namespace {

using Names = std::vector<std::string_view>;

// ---------------------------------------------------------------- random numbers
// SplitMix64 (Steele, Lea, Flood 2014) with our own bounded draws: std:: distributions differ
// between standard libraries, and the same seed must give the same referrals everywhere.

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0. Rejection keeps it unbiased.
  std::uint64_t Below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x = Next();
    while (x >= limit) x = Next();
    return x % n;
  }
  int Percent() { return static_cast<int>(Below(100)); }
  template <typename T>
  const T& Of(const std::vector<T>& v) {
    return v[Below(v.size())];
  }

 private:
  std::uint64_t state_;
};

// k -> (a*k + b) mod m is a bijection on [0, m) when gcd(a, m) = 1; m is a power of ten here, so
// a must be odd and not a multiple of 5.
class Permutation {
 public:
  Permutation(Rng& rng, std::uint64_t m) : m_(m), b_(rng.Below(m)) {
    a_ = rng.Below(m / 2) * 2 + 1;
    if (a_ % 5 == 0) a_ = (a_ + 2) % m;
  }
  std::uint64_t operator()(std::uint64_t k) const { return (a_ * (k % m_) + b_) % m_; }

 private:
  std::uint64_t m_;
  std::uint64_t a_ = 1;
  std::uint64_t b_;
};

// ---------------------------------------------------------------- people

struct NameGroup {
  int weight;  // percent of patients
  Names male;
  Names female;
  Names family;         // family names (male forms where they differ)
  Names family_female;  // empty, or the female forms of `family`, index for index
};

// A mix of backgrounds as found on an English hospital's lists; spellings kept as people write
// them (diacritics included: letters and the PAS must carry UTF-8 names intact).
const std::vector<NameGroup>& NameGroups() {
  static const std::vector<NameGroup> groups = {
      {46,
       {"Oliver",      "George", "Harry",   "Jack",    "James",  "William", "Thomas",
        "David",       "Peter",  "John",    "Michael", "Paul",   "Stephen", "Richard",
        "Christopher", "Daniel", "Matthew", "Andrew",  "Robert", "Alan",    "Keith",
        "Brian",       "Noah",   "Leo",     "Arthur",  "Samuel"},
       {"Olivia", "Amelia",    "Isla",     "Zoë",    "Emily",    "Margaret", "Susan",
        "Sarah",  "Elizabeth", "Jennifer", "Chloe",  "Hannah",   "Jessica",  "Emma",
        "Lucy",   "Charlotte", "Rebecca",  "Joanne", "Patricia", "Jean",     "Barbara",
        "Renée",  "Freya",     "Grace",    "Sophie", "Beatrice"},
       {"Smith",  "Jones",      "Williams", "Taylor",   "Brown",     "Wilson",     "Johnson",
        "Walker", "Robinson",   "Wood",     "Thompson", "White",     "Watson",     "Jackson",
        "Wright", "Green",      "Harris",   "Cooper",   "King",      "Lee",        "Martin",
        "Clarke", "James",      "Hill",     "Moore",    "Harrison",  "Scott",      "Young",
        "Morris", "Hall",       "Ward",     "Turner",   "Carter",    "Mitchell",   "Shaw",
        "Holmes", "Fletcher",   "Barker",   "Ackroyd",  "Sutcliffe", "Hargreaves", "Crowther",
        "Lumb",   "Smith-Ellis"},
       {}},
      {3,
       {"Marcus", "Delroy", "Winston", "Tyrone", "Andre", "Leon"},
       {"Marcia", "Beverley", "Jasmine", "Simone", "Keisha", "Claudette"},
       {"Campbell", "Francis", "Henry", "Powell", "Grant", "Richards", "Bailey", "Lewis"},
       {}},
      {14,
       {"Mohammed", "Imran", "Arjun", "Rajesh", "Sanjay", "Amir", "Bilal", "Hamza", "Zain",
        "Vikram", "Gurpreet", "Harjit"},
       {"Aisha", "Priya", "Fatima", "Ayesha", "Sunita", "Noor", "Zainab", "Harleen", "Anjali",
        "Maryam", "Simran", "Nasreen"},
       {"Patel", "Khan", "Hussain", "Ahmed", "Shah", "Sharma", "Chowdhury", "Iqbal", "Malik",
        "Mistry", "Akhtar", "Rahman"},
       {}},
      {5,
       {"Dafydd", "Rhys", "Gethin", "Iwan", "Aled", "Gareth"},
       {"Siân", "Rhiannon", "Cerys", "Eleri", "Ffion", "Angharad"},
       {"Jones", "Davies", "Evans", "Williams", "Pritchard", "Price", "Griffiths", "Llewellyn",
        "Vaughan", "Hughes"},
       {}},
      {5,
       {"Callum", "Euan", "Hamish", "Alasdair", "Ruaridh", "Fraser"},
       {"Eilidh", "Morag", "Catriona", "Kirsty", "Mhairi", "Isla"},
       {"MacDonald", "Campbell", "Stewart", "Fraser", "MacLeod", "Robertson", "Murray", "Ross",
        "McKenzie"},
       {}},
      {5,
       {"Seán", "Dáithí", "Cillian", "Oisín", "Ciarán", "Pádraig"},
       {"Siobhán", "Niamh", "Aoife", "Róisín", "Saoirse", "Caoimhe"},
       {"Ó Braonáin", "Ó Súilleabháin", "Ó Conaill", "Murphy", "Kelly", "O'Brien", "Byrne",
        "Walsh"},
       {"Ní Bhraonáin", "Ní Shúilleabháin", "Ní Chonaill", "Murphy", "Kelly", "O'Brien", "Byrne",
        "Walsh"}},
      {6,
       {"Łukasz", "Piotr", "Tomasz", "Krzysztof", "Paweł", "Michał"},
       {"Agnieszka", "Katarzyna", "Małgorzata", "Zofia", "Joanna", "Anna"},
       {"Kowalski", "Wiśniewski", "Nowak", "Wójcik", "Lewandowski", "Kamiński", "Zieliński"},
       {"Kowalska", "Wiśniewska", "Nowak", "Wójcik", "Lewandowska", "Kamińska", "Zielińska"}},
      {6,
       {"Chinedu", "Oluwaseun", "Kwame", "Kofi", "Emeka", "Tunde", "Yaw"},
       {"Ngozi", "Adaeze", "Abena", "Ama", "Folasade", "Chiamaka", "Efua"},
       {"Okafor", "Adeyemi", "Mensah", "Osei", "Boateng", "Okonkwo", "Asante", "Adebayo", "Owusu",
        "Nwosu"},
       {}},
      {4,
       {"Wei", "Jun", "Minh", "Hao", "Kenji"},
       {"Mei", "Lin", "Xin", "Thuy", "Yuki"},
       {"Chen", "Wang", "Li", "Nguyen", "Wong", "Zhang", "Tran", "Liu"},
       {}},
      {2,
       {"Emre", "Mehmet", "Murat", "Kemal"},
       {"Özlem", "Elif", "Ayşe", "Zeynep"},
       {"Yılmaz", "Öztürk", "Çelik", "Demir", "Kaya", "Şahin"},
       {}},
      {2,
       {"Omar", "Yusuf", "Karim", "Tariq"},
       {"Layla", "Rania", "Hana", "Yasmin"},
       {"Haddad", "Mansour", "Al-Sayed", "Nasser", "Khalil"},
       {}},
      {2,
       {"José", "Giovanni", "João", "Marco"},
       {"María", "Giulia", "Inês", "Sofia"},
       {"García", "Rossi", "Ferreira", "Silva", "Romano", "Fernández"},
       {}},
  };
  return groups;
}

// ---------------------------------------------------------------- places

struct Town {
  std::string_view name;
  int weight;
  Names districts;  // postcode outward codes
  bool leeds;       // 0113 dialling code
};

const std::vector<Town>& Towns() {
  static const std::vector<Town> towns = {
      {"Wakefield", 20, {"WF1", "WF2", "WF3", "WF4"}, false},
      {"Leeds", 16, {"LS6", "LS7", "LS8", "LS11", "LS15", "LS17"}, true},
      {"Pontefract", 6, {"WF8"}, false},
      {"Castleford", 6, {"WF10"}, false},
      {"Ossett", 4, {"WF5"}, false},
      {"Morley", 5, {"LS27"}, true},
      {"Dewsbury", 8, {"WF12", "WF13"}, false},
      {"Huddersfield", 10, {"HD1", "HD2", "HD3", "HD4"}, false},
      {"Halifax", 7, {"HX1", "HX3"}, false},
      {"Bradford", 10, {"BD3", "BD5", "BD9"}, false},
      {"Barnsley", 8, {"S70", "S71", "S75"}, false},
  };
  return towns;
}

const Names& Streets() {
  static const Names streets = {
      "Westfield Road",   "Church Lane",    "Victoria Street",  "Park Avenue",    "Mill Lane",
      "Station Road",     "The Green",      "Beech Grove",      "Rosemary Close", "Manor Drive",
      "Kirkgate",         "Northgate",      "Thornhill Street", "Quarry Lane",    "Chapel Street",
      "Oakwood Crescent", "Highfield Road", "Ashfield Terrace", "Moorland View",  "Sycamore Way",
      "Holly Bank",       "Calder Walk",    "Dale Street",      "Albion Road",    "Market Place"};
  return streets;
}

// A GP practice that refers: ODS code (a letter and five digits), name, address.
struct Practice {
  std::string_view code;
  std::string_view name;
  std::string_view town;
  std::string_view street;  // first address line
  std::string_view postcode;
};

const std::vector<Practice>& Practices() {
  static const std::vector<Practice> practices = {
      {"B87011", "Northgate Medical Practice", "Wakefield", "2 Northgate", "WF1 3BJ"},
      {"B87019", "Westgate Surgery", "Wakefield", "140 Westgate", "WF2 9SR"},
      {"B87026", "Trinity Medical Centre", "Wakefield", "Thornhill Street", "WF1 1PG"},
      {"B87033", "Outwood Park Surgery", "Wakefield", "Potovens Lane", "WF1 2PE"},
      {"B87041", "Priory Lane Surgery", "Pontefract", "Priory Lane", "WF8 1BS"},
      {"B87048", "Carlton Street Health Centre", "Castleford", "Carlton Street", "WF10 1AZ"},
      {"B85012", "Meanwood Group Practice", "Leeds", "548 Meanwood Road", "LS6 4JN"},
      {"B85020", "Beeston Hill Health Centre", "Leeds", "123 Cemetery Road", "LS11 8LH"},
      {"B85027", "Crossgates Medical Centre", "Leeds", "Farm Road", "LS15 7LB"},
      {"B86034", "Savile Town Surgery", "Dewsbury", "Savile Road", "WF12 9LN"},
      {"B86048", "Greenhead Medical Practice", "Huddersfield", "Greenhead Road", "HD1 4EF"},
      {"B86052", "Lindley Village Surgery", "Huddersfield", "Lidget Street", "HD3 3JB"},
      {"B82044", "Boothtown Surgery", "Halifax", "Boothtown Road", "HX3 6NE"},
      {"B83018", "Manningham Health Centre", "Bradford", "Lumb Lane", "BD9 4DA"},
      {"C85007", "Kingstone Surgery", "Barnsley", "Dodworth Road", "S70 6PN"},
      {"B87055", "Ossett Group Practice", "Ossett", "Dale Street", "WF5 9HN"},
      {"B85061", "Morley Medical Centre", "Morley", "Fountain Street", "LS27 0PE"},
  };
  return practices;
}

// Three GPs per practice, from this pool by practice index.
const Names& GeneralPractitioners() {
  static const Names gps = {
      "Dr A Jones",     "Dr S Ahmed",   "Dr K Whitaker",   "Dr P Nair",      "Dr E Okoye",
      "Dr J Fairbairn", "Dr R Sandhu",  "Dr L Brennan",    "Dr M Kowalczyk", "Dr T Oduya",
      "Dr H Lindsay",   "Dr N Iqbal",   "Dr C Hargreaves", "Dr F Rehman",    "Dr D Mackenzie",
      "Dr G Evans",     "Dr V Raman",   "Dr B O'Neill",    "Dr W Chan",      "Dr Y Haddad",
      "Dr I Jovanović", "Dr O Adebayo", "Dr Q Malik",      "Dr Ș Popescu",   "Dr U Thorsen"};
  return gps;
}

// Postcode inward codes: a digit and two letters, never C I K M O V (Royal Mail).
constexpr std::string_view kInwardLetters = "ABDEFGHJLNPQRSTUWXYZ";

// ---------------------------------------------------------------- services

struct Service {
  std::string specialty;
  std::string clinic_type;
  std::array<int, kSlotTypeCount> places{};  // weekly places (sum of capacity) per slot type
};

std::vector<Service> ServicesOf(const std::vector<ClinicTemplate>& clinics, Date today) {
  std::map<std::pair<std::string, std::string>, Service> by_key;  // ordered: deterministic
  auto add = [&](const ClinicTemplate& c) {
    Service& s = by_key[{c.specialty, c.clinic_type}];
    s.specialty = c.specialty;
    s.clinic_type = c.clinic_type;
    for (const auto& slot : c.slots) s.places[static_cast<std::size_t>(slot.type)] += slot.capacity;
  };
  for (const auto& c : clinics) {
    if (!c.effective_to || *c.effective_to >= today) add(c);
  }
  if (by_key.empty()) {
    for (const auto& c : clinics) add(c);  // every clinic has ended: still aim at real services
  }
  std::vector<Service> out;
  out.reserve(by_key.size());
  for (auto& [key, s] : by_key) out.push_back(std::move(s));
  return out;
}

SlotType OwnSlotType(Priority p) {
  return p == Priority::kTwoWeekWait ? SlotType::kTwoWeekWait
         : p == Priority::kUrgent    ? SlotType::kUrgent
                                     : SlotType::kNew;
}

// A service for a referral of priority `p` (see the header's contract).
const Service* PickService(Rng& rng, const std::vector<Service>& services, Priority p) {
  WaitingListEntry probe;
  probe.priority = p;
  auto pick = [&](auto weight) -> const Service* {
    std::uint64_t total = 0;
    for (const auto& s : services) total += static_cast<std::uint64_t>(weight(s));
    if (total == 0) return nullptr;
    std::uint64_t x = rng.Below(total);
    for (const auto& s : services) {
      const auto w = static_cast<std::uint64_t>(weight(s));
      if (x < w) return &s;
      x -= w;
    }
    return nullptr;
  };
  const auto own = static_cast<std::size_t>(OwnSlotType(p));
  if (const Service* s = pick([&](const Service& x) { return x.places[own]; })) return s;
  if (const Service* s = pick([&](const Service& x) {
        int n = 0;
        for (std::size_t t = 0; t < x.places.size(); ++t) {
          if (SlotTypeAllowed(probe, static_cast<SlotType>(t))) n += x.places[t];
        }
        return n;
      })) {
    return s;
  }
  return pick([](const Service&) { return 1; });
}

// ---------------------------------------------------------------- one referral

struct Generator {
  Generator(std::uint64_t seed, Date today, const std::vector<ClinicTemplate>& clinics)
      : rng(seed),
        ids(seed ^ 0x5eed1d5c0ffee123ULL),
        nhs(ids, 1'000'000),
        ubrn(ids, 100'000'000),
        local(ids, 100'000'000),
        mrn(ids, 10'000'000),
        ubrn_prefix(ids.Below(10'000)),
        today(today),
        services(ServicesOf(clinics, today)) {}

  // The next unused checksum-valid number of the 999 test range (RULES §5).
  std::string NextNhsNumber() {
    for (;;) {
      const std::string nine = fmt::format("999{:06}", nhs(next_nhs++));
      const int check = NhsCheckDigit(nine);
      if (check >= 0) return nine + static_cast<char>('0' + check);
    }
  }

  std::string Postcode(const Town& town) {
    return fmt::format("{} {}{}{}", rng.Of(town.districts), rng.Below(10),
                       kInwardLetters[rng.Below(kInwardLetters.size())],
                       kInwardLetters[rng.Below(kInwardLetters.size())]);
  }

  const Town& PickTown() {
    int total = 0;
    for (const auto& t : Towns()) total += t.weight;
    int x = static_cast<int>(rng.Below(static_cast<std::uint64_t>(total)));
    for (const auto& t : Towns()) {
      if (x < t.weight) return t;
      x -= t.weight;
    }
    return Towns().front();
  }

  const NameGroup& PickNameGroup() {
    int x = rng.Percent();
    for (const auto& g : NameGroups()) {
      if (x < g.weight) return g;
      x -= g.weight;
    }
    return NameGroups().front();
  }

  schemas::ReferralReceived Next() {
    schemas::ReferralReceived r;
    // Priority mix (issue 3: about 70 / 20 / 10) and how far back the referral came in.
    const int p = rng.Percent();
    const Priority priority = p < 70   ? Priority::kRoutine
                              : p < 90 ? Priority::kUrgent
                                       : Priority::kTwoWeekWait;
    r.priority = std::string(PriorityName(priority));
    const int window = priority == Priority::kRoutine  ? 365
                       : priority == Priority::kUrgent ? 91
                                                       : 28;
    const Date received = AddDays(today, -static_cast<std::int64_t>(rng.Below(window)));
    r.received_date = FormatIsoDate(received);

    if (const Service* s = PickService(rng, services, priority)) {
      r.specialty = s->specialty;
      r.clinic_type = s->clinic_type;
    } else {
      r.specialty = "CARDIOLOGY";
      r.clinic_type = "GENERAL";
    }

    // The patient.
    const NameGroup& names = PickNameGroup();
    const bool female = rng.Below(2) == 0;
    r.patient.nhs_number = NextNhsNumber();
    r.patient.given_name = std::string(rng.Of(female ? names.female : names.male));
    const std::size_t family = rng.Below(names.family.size());
    r.patient.family_name =
        std::string(female && !names.family_female.empty() ? names.family_female[family]
                                                           : names.family[family]);
    const int a = rng.Percent();
    const std::uint64_t age = a < 7    ? rng.Below(16)
                              : a < 27 ? 16 + rng.Below(24)
                              : a < 65 ? 40 + rng.Below(25)
                                       : 65 + rng.Below(30);
    r.patient.birth_date = FormatIsoDate(
        AddDays(received, -static_cast<std::int64_t>(age * 365 + age / 4 + rng.Below(365))));
    if (age >= 16) {
      const int t = rng.Percent();
      if (female) {
        r.patient.title = t < 40 ? "Mrs" : t < 80 ? "Ms" : t < 95 ? "Miss" : t < 98 ? "Dr" : "Mx";
      } else {
        r.patient.title = t < 97 ? "Mr" : t < 99 ? "Dr" : "Mx";
      }
    }
    const Town& town = PickTown();
    const std::string street = fmt::format("{} {}", 1 + rng.Below(180), rng.Of(Streets()));
    if (rng.Percent() < 12) {
      r.patient.address.lines = {fmt::format("Flat {}", 1 + rng.Below(24)), street,
                                 std::string(town.name)};
    } else {
      r.patient.address.lines = {street, std::string(town.name)};
    }
    r.patient.address.postcode = Postcode(town);
    if (rng.Percent() < 55) {
      // Ofcom's numbers for drama: 0113 496 0xxx (Leeds) and 01632 960xxx.
      r.patient.phone = town.leeds ? fmt::format("0113 496 0{:03}", rng.Below(1000))
                                   : fmt::format("01632 960{:03}", rng.Below(1000));
    }
    if (rng.Percent() < 75) r.patient.mobile = fmt::format("07700 900{:03}", rng.Below(1000));
    if (rng.Percent() < 70) r.patient.mrn = fmt::format("NR{:07}", mrn(next_mrn++));

    // The referring practice: one in the patient's town where there is one.
    std::vector<std::size_t> local_practices;
    for (std::size_t i = 0; i < Practices().size(); ++i) {
      if (Practices()[i].town == town.name) local_practices.push_back(i);
    }
    const std::size_t pi =
        local_practices.empty() ? rng.Below(Practices().size()) : rng.Of(local_practices);
    const Practice& practice = Practices()[pi];
    r.patient.gp_practice_code = std::string(practice.code);
    r.referrer.name = std::string(
        GeneralPractitioners()[(3 * pi + rng.Below(3)) % GeneralPractitioners().size()]);
    r.referrer.organisation_code = std::string(practice.code);
    r.referrer.organisation_name = std::string(practice.name);
    r.referrer.address.lines = {std::string(practice.name), std::string(practice.street),
                                std::string(practice.town)};
    r.referrer.address.postcode = std::string(practice.postcode);

    // Source and identifiers (RULES §1.1, §3.1).
    if (rng.Percent() < 85) {
      r.source = "ERS";
      r.ubrn = fmt::format("{:04}{:08}", ubrn_prefix, ubrn(next_ubrn++));
      if (rng.Percent() < 8) {
        r.ers_pathway_start =
            FormatIsoDate(AddDays(received, -1 - static_cast<std::int64_t>(rng.Below(21))));
      }
    } else {
      r.source = "PAPER";
      r.local_id = fmt::format("NGH-REF-{:08}", local(next_local++));
    }
    r.needs_triage = rng.Percent() < 6;
    r.short_notice_agreed = rng.Percent() < 10;
    return r;
  }

  Rng rng;
  Rng ids;  // identifier permutations, separate from the choices above
  Permutation nhs, ubrn, local, mrn;
  std::uint64_t ubrn_prefix;
  std::uint64_t next_nhs = 0, next_ubrn = 0, next_local = 0, next_mrn = 0;
  Date today;
  std::vector<Service> services;
};

}  // namespace

std::vector<schemas::ReferralReceived> GenerateDemoReferrals(
    int n, std::uint64_t seed, Date today, const std::vector<ClinicTemplate>& clinics) {
  n = std::clamp(n, 0, kMaxDemoReferrals);
  Generator g(seed, today, clinics);
  std::vector<schemas::ReferralReceived> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(g.Next());
  return out;
}

}  // namespace hub::booking
