// CURVE keys (ZeroMQ RFC 26/CurveZMQ) for the broker's TCP endpoints, and how a client socket is
// set up to reach the broker. Key files are text: "public=<40 z85 chars>\nsecret=<40 z85 chars>\n"
// for a key pair (mode 0600), or a bare public key line for a ".pub" file.
#pragma once

#include <zmq.hpp>

#include <set>
#include <string>

#include "hub/common/status.hpp"

namespace hub::wire {

struct CurveKeyPair {
  std::string public_z85;  // 40 characters
  std::string secret_z85;  // 40 characters
};

Result<CurveKeyPair> GenerateCurveKeyPair();
// Reads a key pair file written by SaveCurveKeyPair.
Result<CurveKeyPair> LoadCurveKeyPair(const std::string& path);
// Writes `<path>` (mode 0600, both keys) and `<path minus .key>.pub` (public key only), atomically.
Status SaveCurveKeyPair(const std::string& path, const CurveKeyPair& keys);
// Reads a public key from a ".pub" file or from a key pair file.
Result<std::string> LoadCurvePublicKey(const std::string& path);
// Reads every "*.pub" file in `dir` into a set of 32-byte binary public keys (the form ZAP sees).
Result<std::set<std::string>> LoadCurveAllowList(const std::string& dir);
// z85 (40 chars) -> 32 raw bytes; error when malformed.
Result<std::string> DecodeZ85Key(const std::string& z85);

// How a process reaches the broker. With curve off the connection is plain TCP/IPC/inproc,
// which is only allowed when explicitly configured (tests, loopback development).
struct BrokerConnection {
  std::string endpoint;          // e.g. "tcp://127.0.0.1:5555"
  bool curve = false;
  std::string server_public_z85; // the broker's public key
  CurveKeyPair client_keys;      // this process's key pair
};

// Sets CURVE client options on `socket` when `conn.curve`; must be called before connect().
void ConfigureClientSocket(zmq::socket_t& socket, const BrokerConnection& conn);

}  // namespace hub::wire
