// An HL7 v2 ER7 ("pipe and hat") message parser: separators from MSH-1/MSH-2, segments, fields,
// repetitions, components, subcomponents and escape sequences (HL7 v2.5 chapter 2, §2.5-2.7).
// Pure: bytes in, an Hl7Message or an Hl7Error out; never crashes or loops on any input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/ers/hl7_error.hpp"

namespace hub::ers {

// The delimiters a message declares in MSH-1 and MSH-2. A character the message does not
// declare is '\0' and never splits anything. Defaults are the recommended |^~\&.
struct Hl7Separators {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
  char truncation = '\0';  // fifth MSH-2 character (v2.7+), or none

  // The MSH-2 text for these separators, e.g. "^~\&".
  std::string EncodingCharacters() const;
};

// Decodes HL7 escape sequences: \F\ \S\ \T\ \R\ \E\ (and \P\ when a truncation character is
// declared) to the delimiter they stand for, \Xhh..\ to bytes, \.br\ and \.sp\ to a newline.
// Highlighting (\H\ \N\), character-set switches (\C..\ \M..\) and other formatting commands are
// dropped; anything unrecognised or unterminated is kept as written.
std::string Hl7Unescape(std::string_view text, const Hl7Separators& separators);

// Encodes text for a field value: delimiters become \F\ \S\ \T\ \R\ \E\ \P\, a newline \.br\,
// other control bytes \Xhh\ (so a CR can never end the segment early). When the message declares
// no escape character, delimiters and control bytes are replaced by a space instead.
std::string Hl7Escape(std::string_view text, const Hl7Separators& separators);

// True for an HL7 v2 version id this code reads: "2.1" to "2.9", optionally with a patch
// ("2.5.1"). Versions 2.1-2.9 share the ER7 encoding and the segments used here.
bool IsHl7V2Version(std::string_view version);

// Splits a file of HL7 messages (as dropped in the inbox folder) into one text per message:
// each starts at an MSH segment. FHS/BHS/BTS/FTS batch envelope segments are dropped. Text outside
// any message (before the first MSH, after a batch trailer) becomes a message of its own, so that
// Parse reports it rather than it being lost.
std::vector<std::string_view> SplitHl7Messages(std::string_view bytes);

// One segment. Field numbers are the HL7 ones: for MSH, field 1 is the field separator itself
// and field 2 the encoding characters, so MSH-9 is Get(9) as everywhere else.
class Hl7Segment {
 public:
  // Where each field lies in `text`: spans[0] is the segment id, spans[n] field n.
  struct Span {
    std::uint32_t offset;
    std::uint32_t size;
  };
  Hl7Segment(std::string text, std::vector<Span> spans, const Hl7Separators& separators, int index,
             int sequence);

  // The 3-character segment id, e.g. "PID".
  std::string_view name() const { return RawPart(0); }
  // Position in the message, 1-based (MSH is 1).
  int index() const { return index_; }
  // Occurrence of this segment id in the message, 1-based (the second PRD is 2): HL7 ERL.2.
  int sequence() const { return sequence_; }
  // The highest field number present, counting trailing empty fields.
  int field_count() const { return static_cast<int>(spans_.size()) - 1; }

  // Field `field` as written (still escaped), "" when absent.
  std::string_view RawField(int field) const;
  // Number of repetitions of a field; 0 when it is empty or absent.
  int RepetitionCount(int field) const;
  // Number of components in one repetition; 0 when it is empty.
  int ComponentCount(int field, int repetition = 1) const;

  // One value, unescaped, with leading and trailing spaces removed (vendors pad fields, e.g.
  // the SIU^S14 sample). The HL7 explicit null `""` reads as "". Absent parts read as "".
  // All indexes are 1-based; asking for component 1 of a field without components returns the
  // whole field value.
  std::string Get(int field, int repetition = 1, int component = 1, int subcomponent = 1) const;

  // All subcomponents of one component, unescaped, trimmed, joined with single spaces
  // (an XAD street line "1000&Hospital Lane" reads "1000 Hospital Lane").
  std::string GetJoined(int field, int repetition, int component) const;

  // The ERR-2 location of (part of) this segment.
  Hl7Location Location(int field = 0, int repetition = 0, int component = 0,
                       int subcomponent = 0) const;

 private:
  std::string_view RawPart(std::size_t i) const {
    return std::string_view(text_).substr(spans_[i].offset, spans_[i].size);
  }

  std::string text_;         // the segment as received, without its terminator
  std::vector<Span> spans_;  // never empty
  Hl7Separators separators_;
  int index_;
  int sequence_;
};

class Hl7Message {
 public:
  // Parses a whole message. Segments may end in CR (the standard), LF or CRLF; blank lines,
  // leading whitespace and a leading UTF-8 byte-order mark are skipped. Errors (all AR, nothing
  // in the message can be trusted): no MSH first (100), unusable MSH-1/MSH-2 (101/102), a
  // segment without a valid 3-character id (100), a second MSH (100).
  static Hl7Result<Hl7Message> Parse(std::string_view bytes);

  // Parses only the first segment, the MSH: enough to address an ACK to a message whose body
  // is broken. Same errors as Parse for the MSH itself.
  static Hl7Result<Hl7Message> ParseHeader(std::string_view bytes);

  const Hl7Separators& separators() const { return separators_; }
  const std::vector<Hl7Segment>& segments() const { return segments_; }
  const Hl7Segment& header() const { return segments_.front(); }

  // The `sequence`-th segment named `name`, or nullptr.
  const Hl7Segment* Find(std::string_view name, int sequence = 1) const;
  // Every segment named `name`, in message order.
  std::vector<const Hl7Segment*> FindAll(std::string_view name) const;

  std::string MessageType() const { return header().Get(9, 1, 1); }       // MSH-9.1, "REF"
  std::string TriggerEvent() const { return header().Get(9, 1, 2); }      // MSH-9.2, "I12"
  std::string MessageStructure() const { return header().Get(9, 1, 3); }  // MSH-9.3, "REF_I12"
  std::string ControlId() const { return header().Get(10); }              // MSH-10
  std::string ProcessingId() const { return header().Get(11, 1, 1); }     // MSH-11.1, "P"
  std::string VersionId() const { return header().Get(12, 1, 1); }        // MSH-12.1, "2.5"

 private:
  Hl7Message(Hl7Separators separators, std::vector<Hl7Segment> segments)
      : separators_(separators), segments_(std::move(segments)) {}
  static Hl7Result<Hl7Message> ParseImpl(std::string_view bytes, bool header_only);

  Hl7Separators separators_;
  std::vector<Hl7Segment> segments_;  // never empty; [0] is the MSH
};

}  // namespace hub::ers
