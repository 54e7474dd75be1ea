// The folder drop (`var/inbox/ers/`): bulk loads of referrals as files. `*.json` holds one e-RS
// ReferralRequest or a Bundle of them; `*.hl7` one or more HL7 v2 REF messages (batch envelope
// segments allowed). A file is taken only once its size and modification time have not changed
// between two scans (so a file still being written is left alone; writing it elsewhere and
// renaming it in is picked up on the second scan after the rename), processed in one ers.db
// transaction, then moved to `done/`, or to `error/` beside a `<name>.error.txt` saying why.
// Other names (and names starting with '.') are ignored. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "adapters/ers/ers_store.hpp"
#include "adapters/ers/hl7_intake.hpp"
#include "hub/common/clock.hpp"

namespace hub::ers {

struct FolderDropOptions {
  std::string inbox;                                           // scanned, not recursively
  std::string done;                                            // processed files
  std::string error;                                           // refused files and their .error.txt
  std::size_t max_file_bytes = std::size_t{10} * 1000 * 1000;  // larger files go to error/
  MappingDefaults defaults;
};

class FolderDrop {
 public:
  // `hl7` records HL7 messages (sharing the MLLP path's rules). Creates the folders.
  static Result<std::unique_ptr<FolderDrop>> Create(ErsStore& store, Hl7Intake& hl7,
                                                    FolderDropOptions options, const Clock& clock);

  // One scan: every file stable since the previous scan is processed and moved. Returns the
  // number of files moved. Storage failures are returned (the file stays for the next scan).
  Result<int> Scan();

 private:
  FolderDrop(ErsStore& store, Hl7Intake& hl7, FolderDropOptions options, const Clock& clock)
      : store_(store), hl7_(hl7), options_(std::move(options)), clock_(clock) {}
  struct Seen {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
  };
  // Records the file's referrals; returns the problems found (empty: all good).
  Result<std::vector<std::string>> Process(const std::string& name, const std::string& bytes);
  Status Move(const std::string& name, const std::vector<std::string>& problems);

  ErsStore& store_;
  Hl7Intake& hl7_;
  FolderDropOptions options_;
  const Clock& clock_;
  std::map<std::string, Seen> seen_;  // files of the previous scan
};

}  // namespace hub::ers
