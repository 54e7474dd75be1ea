// Clinic templates from config/clinics/*.toml (DESIGN §6, RULES §8): one file per clinic, read
// strictly — unknown keys, wrong types and values ValidateTemplate refuses are errors naming the
// file, line and key. config/clinics/README.md is the format reference (every key, unit, default).
#pragma once

#include <string>
#include <vector>

#include "hub/booking/clinic_template.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

// Reads and validates one clinic file. The template comes back as ValidateTemplate leaves it
// (slots sorted by start), so it compares equal to the version the engine stores and re-sending
// it at every start-up changes nothing. Errors are InvalidArgument whose message starts
// "<path>:<line>: key '<key>':" (e.g. "CARD01.toml:31: key 'slots[2].start': ...") and whose
// field is the key.
Result<ClinicTemplate> LoadClinicFile(const std::string& path);

// LoadClinicFile on TOML text; `origin` stands for the file name in errors.
Result<ClinicTemplate> LoadClinicText(const std::string& text, const std::string& origin);

// Every "*.toml" file directly in `dir` (other files, such as README.md, are skipped), in file
// name order. The first bad file's error is returned; two files with the same clinic_code are an
// error naming both. A directory with no clinic files is not an error (an empty list); a missing
// or unreadable directory is NotFound / IOError naming it.
Result<std::vector<ClinicTemplate>> LoadClinicDir(const std::string& dir);

}  // namespace hub::booking
