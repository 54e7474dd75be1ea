// Durable file writes, directory syncs and atomic renames.
#include "adapters/common/durable_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hub::adapters {

namespace fs = std::filesystem;

namespace {

Status OsError(std::string_view what, const std::string& path, int err) {
  return Status::IOError(fmt::format("{} {}: {}", what, path, std::strerror(err)));
}

Status SyncFd(int fd, const std::string& path) {
  if (::fsync(fd) != 0) return OsError("cannot fsync", path, errno);
  return Status::Ok();
}

std::string Parent(const std::string& path) {
  fs::path p = fs::path(path).parent_path();
  return p.empty() ? "." : p.string();
}

}  // namespace

Status WriteFileDurably(const std::string& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return OsError("cannot create", path, errno);
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return OsError("cannot write", path, err);
    }
    done += static_cast<std::size_t>(n);
  }
  Status synced = SyncFd(fd, path);
  if (::close(fd) != 0 && synced.ok()) return OsError("cannot close", path, errno);
  return synced;
}

Status SyncDirectory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return OsError("cannot open folder", path, errno);
  Status s = SyncFd(fd, path);
  ::close(fd);
  return s;
}

Status RenameDurably(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Status::IOError(
        fmt::format("cannot rename {} to {}: {}", from, to, std::strerror(errno)));
  }
  HUB_RETURN_IF_ERROR(SyncDirectory(Parent(to)));
  if (Parent(from) != Parent(to)) HUB_RETURN_IF_ERROR(SyncDirectory(Parent(from)));
  return Status::Ok();
}

Status MakeDirectories(const std::string& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Status::IOError(fmt::format("cannot create folder {}: {}", path, ec.message()));
  return Status::Ok();
}

Status RemoveAll(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  if (ec) return Status::IOError(fmt::format("cannot remove {}: {}", path, ec.message()));
  return Status::Ok();
}

Result<bool> SameFilesystem(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  if (::stat(a.c_str(), &sa) != 0) return OsError("cannot stat", a, errno);
  if (::stat(b.c_str(), &sb) != 0) return OsError("cannot stat", b, errno);
  return sa.st_dev == sb.st_dev;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(fmt::format("cannot read {}", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError(fmt::format("cannot read {}", path));
  return ss.str();
}

Result<std::vector<std::string>> ListDirectory(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) return Status::IOError(fmt::format("cannot list {}: {}", dir, ec.message()));
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace hub::adapters
