// Child processes for integration tests: start `hub <args>` (or any program), wait for a line
// in its log, kill it with a chosen signal. The child is killed (SIGKILL) and reaped when the
// object is destroyed, so a failing test never leaves processes behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace hub::testing {

class ChildProcess {
 public:
  // Starts `program args...` with stdout and stderr appended to `log_path`.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // Sends `signal` and waits for the process to end; returns its wait status.
  int Kill(int signal);
  // Waits for the process to exit on its own; returns the exit code (or -signal) or
  // std::nullopt-like -1000 on timeout.
  int Wait(std::chrono::milliseconds timeout);
  // Waits until the log contains `needle`; false on timeout or if the process died first.
  bool WaitForLog(const std::string& needle, std::chrono::milliseconds timeout);
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  int status_ = 0;
  bool reaped_ = false;
};

// The hub binary built alongside the tests, and the idempotent test worker.
std::string HubBinary();
std::string TestWorkerBinary();

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
// Runs a program to completion and captures its output.
CommandResult RunCommand(const std::string& program, const std::vector<std::string>& args);

// Polls `pred` every few milliseconds until it is true or `timeout` passes.
template <typename Pred>
bool WaitUntil(Pred pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    struct timespec ts{0, 5 * 1000 * 1000};
    nanosleep(&ts, nullptr);
  }
  return pred();
}

}  // namespace hub::testing
