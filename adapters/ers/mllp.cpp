// MLLP decoding and encoding (HL7 MLLP Release 2 block format: SB message EB CR).
#include "adapters/ers/mllp.hpp"

#include <fmt/format.h>

namespace hub::ers {
namespace {

constexpr std::size_t kJunkHeadBytes = 16;

std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out.push_back(c);
    } else {
      out += fmt::format("\\x{:02X}", u);
    }
  }
  return out;
}

}  // namespace

MllpDecoder::MllpDecoder(std::size_t max_frame_bytes)
    : max_frame_bytes_(max_frame_bytes == 0 ? 1 : max_frame_bytes) {}

void MllpDecoder::Error(std::vector<MllpEvent>& out, std::uint64_t offset, std::string message) {
  MllpEvent e;
  e.kind = MllpEvent::Kind::kError;
  e.error = Status::InvalidArgument(std::move(message), "mllp");
  e.offset = offset;
  out.push_back(std::move(e));
}

void MllpDecoder::StartFrame(std::uint64_t offset) {
  state_ = State::kInFrame;
  frame_.clear();
  frame_offset_ = offset;
}

void MllpDecoder::JunkByte(char c, std::uint64_t offset) {
  if (!junk_active_) {
    junk_active_ = true;
    junk_reported_ = false;
    junk_offset_ = offset;
    junk_bytes_ = 0;
    junk_head_.clear();
  }
  ++junk_bytes_;
  if (junk_head_.size() < kJunkHeadBytes) junk_head_.push_back(c);
  junk_saw_end_block_ = c == kMllpEndBlock;
}

void MllpDecoder::ReportJunk(std::vector<MllpEvent>& out, bool ended_by_end_block) {
  if (!junk_active_) return;
  if (!junk_reported_) {
    std::string head = Printable(junk_head_);
    if (junk_bytes_ > junk_head_.size()) head += "...";
    std::string hint;
    if (ended_by_end_block || junk_head_.starts_with("MSH")) {
      hint = ": a message sent without its start block 0x0B?";
    }
    Error(out, junk_offset_,
          fmt::format("{} byte(s) outside an MLLP frame, starting '{}' (expected the start "
                      "block 0x0B){}",
                      junk_bytes_, head, hint));
    junk_reported_ = true;
  }
  if (ended_by_end_block) junk_active_ = false;
}

std::vector<MllpEvent> MllpDecoder::Feed(std::string_view bytes) {
  std::vector<MllpEvent> out;
  std::size_t i = 0;
  while (i < bytes.size()) {
    const char c = bytes[i];
    const std::uint64_t at = offset_ + i;
    switch (state_) {
      case State::kIdle:
        if (c == kMllpStartBlock) {
          ReportJunk(out, /*ended_by_end_block=*/false);
          junk_active_ = false;
          StartFrame(at);
        } else if (junk_active_ && junk_saw_end_block_ && c == kMllpTrailer) {
          // 0x1C 0x0D with no frame open: the end of a message whose start block was missing.
          ++junk_bytes_;
          ReportJunk(out, /*ended_by_end_block=*/true);
        } else if (!junk_active_ && (c == '\r' || c == '\n')) {
          // Line ends between frames are tolerated.
        } else {
          JunkByte(c, at);
        }
        ++i;
        break;

      case State::kInFrame: {
        // Copy the run up to the next block byte in one go.
        std::size_t j = i;
        while (j < bytes.size() && bytes[j] != kMllpStartBlock && bytes[j] != kMllpEndBlock) ++j;
        const std::size_t room = max_frame_bytes_ - frame_.size();
        if (j - i > room) {
          Error(out, frame_offset_,
                fmt::format("MLLP frame is larger than the {}-byte limit: discarded up to its "
                            "end block",
                            max_frame_bytes_));
          frame_.clear();
          frame_.shrink_to_fit();
          state_ = State::kDiscarding;
          i = j;
          break;
        }
        frame_.append(bytes.data() + i, j - i);
        i = j;
        if (i == bytes.size()) break;
        if (bytes[i] == kMllpEndBlock) {
          state_ = State::kAfterEndBlock;
        } else {
          Error(out, frame_offset_,
                fmt::format("MLLP frame of {} byte(s) has no end block 0x1C 0x0D before the next "
                            "start block: discarded",
                            frame_.size()));
          StartFrame(offset_ + i);
        }
        ++i;
        break;
      }

      case State::kAfterEndBlock:
        if (c == kMllpTrailer) {
          if (frame_.empty()) {
            Error(out, frame_offset_, "empty MLLP frame: no message between 0x0B and 0x1C 0x0D");
          } else {
            MllpEvent e;
            e.kind = MllpEvent::Kind::kMessage;
            e.message = std::move(frame_);
            e.offset = frame_offset_;
            out.push_back(std::move(e));
          }
          frame_.clear();
          state_ = State::kIdle;
          ++i;
        } else {
          Error(out, frame_offset_,
                fmt::format("MLLP end block 0x1C is followed by 0x{:02X} instead of 0x0D: frame "
                            "of {} byte(s) discarded",
                            static_cast<unsigned char>(c), frame_.size()));
          frame_.clear();
          // Drop the rest of the broken frame up to the next start block; this byte is read
          // again in that state, so a start block right here opens the next frame.
          state_ = State::kDiscarding;
        }
        break;

      case State::kDiscarding:
        if (c == kMllpStartBlock) {
          StartFrame(at);
        } else if (c == kMllpEndBlock) {
          state_ = State::kDiscardingAfterEndBlock;
        }
        ++i;
        break;

      case State::kDiscardingAfterEndBlock:
        if (c == kMllpTrailer) {
          state_ = State::kIdle;
        } else if (c == kMllpStartBlock) {
          StartFrame(at);
        } else if (c != kMllpEndBlock) {
          state_ = State::kDiscarding;
        }
        ++i;
        break;
    }
  }
  offset_ += bytes.size();
  // Wait for enough bytes to show in the report, unless the run is already that long.
  if (junk_active_ && junk_head_.size() >= kJunkHeadBytes) {
    ReportJunk(out, /*ended_by_end_block=*/false);
  }
  return out;
}

std::vector<MllpEvent> MllpDecoder::Finish() {
  std::vector<MllpEvent> out;
  if (state_ == State::kInFrame || state_ == State::kAfterEndBlock) {
    Error(out, frame_offset_,
          fmt::format("stream ended inside an MLLP frame: {} byte(s) without an end block "
                      "discarded",
                      frame_.size()));
  }
  ReportJunk(out, /*ended_by_end_block=*/false);
  state_ = State::kIdle;
  frame_.clear();
  junk_active_ = false;
  return out;
}

Status AppendMllpFrame(std::string_view message, std::string& out) {
  const std::size_t bad = message.find_first_of(std::string_view("\x0b\x1c", 2));
  if (bad != std::string_view::npos) {
    return Status::InvalidArgument(
        fmt::format("cannot frame a message containing byte 0x{:02X} (at {}): it would end the "
                    "MLLP frame early",
                    static_cast<unsigned char>(message[bad]), bad),
        "mllp");
  }
  out.reserve(out.size() + message.size() + 3);
  out.push_back(kMllpStartBlock);
  out.append(message);
  out.push_back(kMllpEndBlock);
  out.push_back(kMllpTrailer);
  return Status::Ok();
}

Result<std::string> MllpFrame(std::string_view message) {
  std::string out;
  HUB_RETURN_IF_ERROR(AppendMllpFrame(message, out));
  return out;
}

}  // namespace hub::ers
