// CURVE key generation and key files.
#include "hub/wire/curve.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <zmq.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hub::wire {

namespace fs = std::filesystem;

namespace {
std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(fmt::format("cannot read key file {}", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

Result<CurveKeyPair> GenerateCurveKeyPair() {
  char pub[41] = {0};
  char sec[41] = {0};
  if (zmq_curve_keypair(pub, sec) != 0) {
    return Status::Internal(fmt::format("zmq_curve_keypair failed: {}", zmq_strerror(zmq_errno())));
  }
  return CurveKeyPair{pub, sec};
}

Result<std::string> DecodeZ85Key(const std::string& z85) {
  if (z85.size() != 40) return Status::InvalidArgument("a CURVE key in z85 must be 40 characters");
  std::string raw(32, '\0');
  if (!zmq_z85_decode(reinterpret_cast<std::uint8_t*>(raw.data()), z85.c_str())) {
    return Status::InvalidArgument("not a valid z85 key");
  }
  return raw;
}

Result<CurveKeyPair> LoadCurveKeyPair(const std::string& path) {
  HUB_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  CurveKeyPair kp;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    line = Trim(line);
    if (line.rfind("public=", 0) == 0) kp.public_z85 = line.substr(7);
    if (line.rfind("secret=", 0) == 0) kp.secret_z85 = line.substr(7);
  }
  if (!DecodeZ85Key(kp.public_z85).ok() || !DecodeZ85Key(kp.secret_z85).ok()) {
    return Status::InvalidArgument(
        fmt::format("{}: expected lines 'public=<40 z85 chars>' and 'secret=<40 z85 chars>'", path));
  }
  return kp;
}

Status SaveCurveKeyPair(const std::string& path, const CurveKeyPair& keys) {
  fs::path p(path);
  std::error_code ec;
  if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
  auto write = [](const fs::path& target, const std::string& content, fs::perms perms) -> Status {
    fs::path tmp = target;
    tmp += ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      if (!out) return Status::IOError(fmt::format("cannot write {}", tmp.string()));
      out << content;
      if (!out.flush()) return Status::IOError(fmt::format("cannot write {}", tmp.string()));
    }
    std::error_code ec2;
    fs::permissions(tmp, perms, ec2);
    fs::rename(tmp, target, ec2);
    if (ec2) return Status::IOError(fmt::format("cannot rename {}: {}", tmp.string(), ec2.message()));
    return Status::Ok();
  };
  HUB_RETURN_IF_ERROR(write(p, fmt::format("public={}\nsecret={}\n", keys.public_z85, keys.secret_z85),
                            fs::perms::owner_read | fs::perms::owner_write));
  fs::path pub = p;
  pub.replace_extension(".pub");
  return write(pub, keys.public_z85 + "\n",
               fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                   fs::perms::others_read);
}

Result<std::string> LoadCurvePublicKey(const std::string& path) {
  HUB_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("secret=", 0) == 0) continue;
    if (line.rfind("public=", 0) == 0) line = line.substr(7);
    if (DecodeZ85Key(line).ok()) return line;
    break;
  }
  return Status::InvalidArgument(fmt::format("{}: no valid z85 public key found", path));
}

Result<std::set<std::string>> LoadCurveAllowList(const std::string& dir) {
  std::set<std::string> keys;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound(fmt::format("CURVE allow-list directory {} does not exist", dir));
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".pub") continue;
    HUB_ASSIGN_OR_RETURN(std::string z85, LoadCurvePublicKey(entry.path().string()));
    HUB_ASSIGN_OR_RETURN(std::string raw, DecodeZ85Key(z85));
    keys.insert(raw);
  }
  return keys;
}

void ConfigureClientSocket(zmq::socket_t& socket, const BrokerConnection& conn) {
  if (!conn.curve) return;
  socket.set(zmq::sockopt::curve_serverkey, conn.server_public_z85);
  socket.set(zmq::sockopt::curve_publickey, conn.client_keys.public_z85);
  socket.set(zmq::sockopt::curve_secretkey, conn.client_keys.secret_z85);
}

}  // namespace hub::wire
