// Files that survive a crash or power cut: written and fsynced before they are published, and
// published by rename(2), which is atomic within one filesystem (a reader sees all or nothing).
// Every function reports OS failures as IOError naming the path; none throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hub/common/status.hpp"

namespace hub::adapters {

// Creates `path` (which must not exist), writes `bytes`, fsyncs and closes it.
Status WriteFileDurably(const std::string& path, std::string_view bytes);
// fsyncs a directory, so the names created, renamed or removed in it are durable.
Status SyncDirectory(const std::string& path);
// Renames `from` to `to` (a file or a folder; `to` must not exist when it is a folder) and
// fsyncs both parent directories.
Status RenameDurably(const std::string& from, const std::string& to);
// Like mkdir -p.
Status MakeDirectories(const std::string& path);
// Removes a file or a folder and everything in it; absent is not an error.
Status RemoveAll(const std::string& path);
// True when both existing paths are on the same filesystem (rename between them can work).
Result<bool> SameFilesystem(const std::string& a, const std::string& b);
Result<std::string> ReadWholeFile(const std::string& path);
// Names (not paths) of the entries of `dir`, sorted; `dir` must exist.
Result<std::vector<std::string>> ListDirectory(const std::string& dir);

}  // namespace hub::adapters
