// Folder drop: stable-file detection, per-file processing, done/ and error/.
#include "adapters/ers/folder_drop.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "hub/booking/calendar.hpp"

namespace hub::ers {

namespace fs = std::filesystem;

namespace {
bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

Result<std::unique_ptr<FolderDrop>> FolderDrop::Create(ErsStore& store, Hl7Intake& hl7,
                                                       FolderDropOptions options,
                                                       const Clock& clock) {
  for (const auto& dir : {options.inbox, options.done, options.error}) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Status::IOError(fmt::format("cannot create folder '{}': {}", dir, ec.message()));
  }
  return std::unique_ptr<FolderDrop>(new FolderDrop(store, hl7, std::move(options), clock));
}

Result<std::vector<std::string>> FolderDrop::Process(const std::string& name,
                                                     const std::string& bytes) {
  std::vector<std::string> problems;
  const std::int64_t now = clock_.NowMs();
  if (EndsWith(name, ".hl7")) {
    auto messages = SplitHl7Messages(bytes);
    if (messages.empty()) problems.push_back("the file holds no HL7 message");
    for (std::size_t i = 0; i < messages.size(); ++i) {
      InboundMeta meta{"file", name, fmt::format("{}#{}", name, i + 1)};
      HUB_ASSIGN_OR_RETURN(Hl7Reply reply, hl7_.Process(messages[i], meta));
      if (reply.code != AckCode::kAccept) {
        problems.push_back(fmt::format("message {}: {}", i + 1, reply.reason));
      }
    }
    return problems;
  }
  auto referrals = ParseReferralRequests(bytes);
  if (!referrals.ok()) {
    std::string why =
        fmt::format("not a ReferralRequest or Bundle of them: {}", referrals.status().ToString());
    HUB_RETURN_IF_ERROR(store_.LogRefused(InboundMeta{"file", name, name}, why, bytes, now));
    problems.push_back(why);
    return problems;
  }
  const Date arrival = booking::LondonDateAt(now);
  for (std::size_t i = 0; i < referrals->size(); ++i) {
    const ErsReferral& r = (*referrals)[i];
    InboundMeta meta{"file", name, r.ubrn};
    HUB_ASSIGN_OR_RETURN(IntakeResult result,
                         store_.Intake(meta, ToReferralInput(r), options_.defaults, arrival, now));
    if (result.disposition == Disposition::kModification) {
      problems.push_back(
          fmt::format("referral {}: {}; not forwarded (the booking hub cannot "
                      "amend a referral it has received)",
                      r.ubrn, result.detail));
    }
  }
  return problems;
}

Status FolderDrop::Move(const std::string& name, const std::vector<std::string>& problems) {
  const fs::path from = fs::path(options_.inbox) / name;
  const fs::path dir = problems.empty() ? options_.done : options_.error;
  fs::path to = dir / name;
  std::error_code ec;
  if (fs::exists(to, ec)) {
    // The same name dropped again: keep both, the later one with its arrival time.
    to = dir / fmt::format("{}.{}", name, clock_.NowMs());
  }
  if (!problems.empty()) {
    std::ofstream out(to.string() + ".error.txt");
    out << name << " was not fully accepted:\n";
    for (const auto& p : problems) out << "- " << p << "\n";
    out.close();
    if (!out) return Status::IOError(fmt::format("cannot write {}.error.txt", to.string()));
  }
  fs::rename(from, to, ec);
  if (ec) {
    return Status::IOError(
        fmt::format("cannot move {} to {}: {}", from.string(), to.string(), ec.message()));
  }
  spdlog::info("folder drop: {} -> {}{}", name, to.string(),
               problems.empty() ? "" : fmt::format(" ({} problems)", problems.size()));
  return Status::Ok();
}

Result<int> FolderDrop::Scan() {
  std::map<std::string, Seen> now_seen;
  std::vector<std::string> stable;
  std::error_code ec;
  for (fs::directory_iterator it(options_.inbox, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || !(EndsWith(name, ".hl7") || EndsWith(name, ".json"))) {
      continue;
    }
    std::error_code fe;
    if (!it->is_regular_file(fe) || fe) continue;
    Seen s;
    s.size = it->file_size(fe);
    if (fe) continue;
    auto mtime = it->last_write_time(fe);
    if (fe) continue;
    s.mtime_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
    now_seen[name] = s;
    auto prev = seen_.find(name);
    if (prev != seen_.end() && prev->second.size == s.size && prev->second.mtime_ns == s.mtime_ns) {
      stable.push_back(name);
    }
  }
  if (ec) return Status::IOError(fmt::format("cannot list '{}': {}", options_.inbox, ec.message()));
  seen_ = std::move(now_seen);

  int moved = 0;
  for (const auto& name : stable) {
    const fs::path path = fs::path(options_.inbox) / name;
    std::vector<std::string> problems;
    if (seen_[name].size > options_.max_file_bytes) {
      problems.push_back(fmt::format("the file is {} bytes, over folder.max_file_bytes ({})",
                                     seen_[name].size, options_.max_file_bytes));
      HUB_RETURN_IF_ERROR(
          store_.LogRefused(InboundMeta{"file", name, name}, problems.back(), "", clock_.NowMs()));
    } else {
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      if (!in) continue;  // vanished or unreadable: try again next scan
      storage::Transaction txn(store_.db());
      HUB_RETURN_IF_ERROR(txn.status());
      HUB_ASSIGN_OR_RETURN(problems, Process(name, ss.str()));
      HUB_RETURN_IF_ERROR(txn.Commit());
    }
    // A crash between the commit and the move processes the file again on restart: its
    // referrals are then duplicates of themselves, so nothing is forwarded twice.
    HUB_RETURN_IF_ERROR(Move(name, problems));
    seen_.erase(name);
    ++moved;
  }
  return moved;
}

}  // namespace hub::ers
