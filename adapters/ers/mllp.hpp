// MLLP framing (HL7 Minimal Lower Layer Protocol, RULES §4.3): <VT 0x0B> message <FS 0x1C><CR>.
// An incremental decoder for a TCP byte stream that never loses a good frame to a bad one, and
// the encoder for outgoing ACKs. Pure: no sockets; one decoder per connection, not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hub/common/status.hpp"

namespace hub::ers {

inline constexpr char kMllpStartBlock = '\x0b';
inline constexpr char kMllpEndBlock = '\x1c';
inline constexpr char kMllpTrailer = '\r';
inline constexpr std::size_t kMllpDefaultMaxFrameBytes = std::size_t{1} << 20;  // 1 MiB

struct MllpEvent {
  enum class Kind : std::uint8_t { kMessage, kError };
  Kind kind = Kind::kMessage;
  std::string message;       // kMessage: the bytes between start block and end block
  Status error;              // kError: InvalidArgument, field "mllp", saying what was wrong
  std::uint64_t offset = 0;  // stream offset of the frame's start block, or of the bad bytes
};

// Feed it the bytes of one connection in any chunks (one byte at a time works); it emits each
// complete message and each framing error, in stream order.
//
// Framing errors, each reported once and followed by resynchronisation on the next start block:
// - bytes outside a frame (garbage, or a message sent without its start block). Reported once
//   per run, as soon as one of these happens: the run reaches 16 bytes (at the end of that Feed
//   call), a start block or an end block 0x1C 0x0D ends it, or Finish() is called; later bytes
//   of a reported run are dropped silently. So a shorter run followed by silence is reported
//   by Finish(), which the server calls on idle timeout. CR and LF between frames are not an
//   error (some senders add them after the trailer).
// - a start block inside a frame (the previous frame had no end block): that frame is discarded.
// - an end block not followed by CR: the frame is discarded, with what follows up to the next
//   start block.
// - a frame longer than `max_frame_bytes`: discarded up to its end block (memory stays bounded).
// - an empty frame.
// It is not an error for a frame to hold something other than HL7: that is the parser's job.
class MllpDecoder {
 public:
  explicit MllpDecoder(std::size_t max_frame_bytes = kMllpDefaultMaxFrameBytes);

  std::vector<MllpEvent> Feed(std::string_view bytes);
  // End of stream (peer closed, or idle timeout): reports a frame left open and unreported
  // bytes outside a frame, then resets to the initial state.
  std::vector<MllpEvent> Finish();

  // True while a frame has started and not ended: the peer owes us bytes.
  bool InFrame() const { return state_ != State::kIdle; }
  // Bytes of the current frame held in memory.
  std::size_t buffered_bytes() const { return frame_.size(); }

 private:
  enum class State : std::uint8_t {
    kIdle,
    kInFrame,
    kAfterEndBlock,
    kDiscarding,
    kDiscardingAfterEndBlock
  };

  void StartFrame(std::uint64_t offset);
  void JunkByte(char c, std::uint64_t offset);
  void ReportJunk(std::vector<MllpEvent>& out, bool ended_by_end_block);
  void Error(std::vector<MllpEvent>& out, std::uint64_t offset, std::string message);

  std::size_t max_frame_bytes_;
  State state_ = State::kIdle;
  std::uint64_t offset_ = 0;  // stream offset of the next byte
  std::string frame_;
  std::uint64_t frame_offset_ = 0;

  // The current run of bytes outside a frame.
  bool junk_active_ = false;
  bool junk_reported_ = false;
  bool junk_saw_end_block_ = false;  // last junk byte was 0x1C
  std::uint64_t junk_offset_ = 0;
  std::uint64_t junk_bytes_ = 0;
  std::string junk_head_;  // its first bytes, for the error message
};

// 0x0B + message + 0x1C 0x0D appended to `out`. InvalidArgument when the message contains a
// start or end block byte, which would break the framing (HL7 ER7 text never does).
Status AppendMllpFrame(std::string_view message, std::string& out);
Result<std::string> MllpFrame(std::string_view message);

}  // namespace hub::ers
