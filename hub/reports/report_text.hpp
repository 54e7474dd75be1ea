// Plain-text tables of the booking team's lists for `hub ctl` (issue 8 §3-§5): the partial-
// booking list, capacity and utilisation, waiting-for-review, vacancies and the validation list.
#pragma once

#include <string>
#include <vector>

#include "hub/booking/capacity.hpp"

namespace hub::reports {

std::string PbListText(const std::vector<booking::PbListRow>& rows, booking::Date today);
std::string CapacityText(const booking::CapacityReport& report);
std::string ReviewListText(const std::vector<booking::ReviewListRow>& rows);
std::string VacancyText(const std::vector<booking::VacancyRow>& rows);
std::string ValidationText(const std::vector<booking::ValidationRow>& rows);

}  // namespace hub::reports
