// MLLP decoder and encoder: every chunking of a stream, each framing error reported once with
// the good frames around it still delivered, the size limit, and random streams.
#include "adapters/ers/mllp.hpp"

#include <doctest/doctest.h>

#include <random>

namespace hub::ers {
namespace {

std::string Frame(std::string_view message) {
  auto framed = MllpFrame(message);
  REQUIRE(framed.ok());
  return *framed;
}

std::vector<MllpEvent> FeedAll(MllpDecoder& decoder, std::string_view bytes,
                               std::size_t chunk = 0) {
  std::vector<MllpEvent> all;
  if (chunk == 0) chunk = bytes.size() == 0 ? 1 : bytes.size();
  for (std::size_t i = 0; i < bytes.size(); i += chunk) {
    for (auto& e : decoder.Feed(bytes.substr(i, chunk))) all.push_back(std::move(e));
  }
  return all;
}

std::vector<std::string> Messages(const std::vector<MllpEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) {
    if (e.kind == MllpEvent::Kind::kMessage) out.push_back(e.message);
  }
  return out;
}

std::vector<std::string> Errors(const std::vector<MllpEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) {
    if (e.kind == MllpEvent::Kind::kError) {
      CHECK(e.error.code() == StatusCode::kInvalidArgument);
      CHECK(e.error.field() == "mllp");
      out.push_back(e.error.message());
    }
  }
  return out;
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("the encoder frames with 0x0B ... 0x1C 0x0D and refuses block bytes") {
  CHECK(Frame("MSH|^~\\&\r") == std::string("\x0bMSH|^~\\&\r\x1c\r"));
  auto bad =
      MllpFrame(std::string("a\x1c"
                            "b"));
  REQUIRE_FALSE(bad.ok());
  CHECK(Contains(bad.status().message(), "0x1C (at 1)"));
  CHECK_FALSE(MllpFrame(std::string("\x0b")).ok());
  std::string out = "prefix";
  REQUIRE(AppendMllpFrame("x", out).ok());
  CHECK(out == std::string("prefix\x0bx\x1c\r"));
}

TEST_CASE("two frames decode the same in every split and byte at a time, with offsets") {
  const std::string a = "MSH|^~\\&|A\rPID|1";
  const std::string b = "MSH|^~\\&|B\r";
  const std::string stream = Frame(a) + "\r\n" + Frame(b);
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    CAPTURE(split);
    MllpDecoder decoder;
    std::vector<MllpEvent> events = decoder.Feed(stream.substr(0, split));
    for (auto& e : decoder.Feed(stream.substr(split))) events.push_back(std::move(e));
    CHECK(Messages(events) == std::vector<std::string>{a, b});
    CHECK(Errors(events).empty());
    CHECK_FALSE(decoder.InFrame());
  }
  MllpDecoder decoder;
  auto events = FeedAll(decoder, stream, 1);
  REQUIRE(events.size() == 2);
  CHECK(events[0].offset == 0);
  CHECK(events[1].offset == a.size() + 3 + 2);
  CHECK(decoder.Finish().empty());
}

TEST_CASE("InFrame and buffered_bytes follow a frame in progress") {
  MllpDecoder decoder;
  CHECK(decoder
            .Feed("\x0b"
                  "MSH|")
            .empty());
  CHECK(decoder.InFrame());
  CHECK(decoder.buffered_bytes() == 4);
  CHECK(decoder.Feed("x\x1c").empty());
  CHECK(decoder.InFrame());
  auto events = decoder.Feed("\r");
  CHECK(Messages(events) == std::vector<std::string>{"MSH|x"});
  CHECK_FALSE(decoder.InFrame());
}

TEST_CASE("garbage before a frame: one error, and the frame still arrives") {
  const std::string stream = "hello there" + Frame("MSH|ok");
  for (std::size_t chunk : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
    CAPTURE(chunk);
    MllpDecoder decoder;
    auto events = FeedAll(decoder, stream, chunk);
    auto errors = Errors(events);
    REQUIRE(errors.size() == 1);
    CHECK(Contains(errors[0], "outside an MLLP frame, starting 'h"));
    CHECK(Contains(errors[0], "expected the start block 0x0B"));
    CHECK(Messages(events) == std::vector<std::string>{"MSH|ok"});
    CHECK(events.front().kind == MllpEvent::Kind::kError);
    CHECK(events.front().offset == 0);
  }
  MllpDecoder whole;
  auto errors = Errors(whole.Feed(stream));
  CHECK(Contains(errors[0], "11 byte(s) outside an MLLP frame, starting 'hello there'"));
}

TEST_CASE("garbage alone is reported once 16 bytes have come, or at Finish") {
  MllpDecoder decoder;
  CHECK(decoder.Feed("\x01\x02\xff").empty());
  auto errors = Errors(decoder.Finish());
  REQUIRE(errors.size() == 1);
  CHECK(Contains(errors[0], "3 byte(s) outside an MLLP frame, starting '\\x01\\x02\\xFF'"));

  MllpDecoder longer;
  CHECK(longer.Feed("GET / HTTP/1.1").empty());
  auto now = Errors(longer.Feed("\r\nHost"));
  REQUIRE(now.size() == 1);
  CHECK(
      Contains(now[0], "20 byte(s) outside an MLLP frame, starting 'GET / HTTP/1.1\\x0D\\x0A...'"));
  CHECK(longer.Feed("more junk").empty());  // same run: not reported again
  CHECK(longer.Finish().empty());
}

TEST_CASE("a message without its start block is one error; the next frame is delivered") {
  const std::string stream = std::string("MSH|^~\\&|X\rPID|1\x1c\r") + Frame("MSH|good");
  for (std::size_t chunk : {std::size_t{0}, std::size_t{1}}) {
    CAPTURE(chunk);
    MllpDecoder decoder;
    auto events = FeedAll(decoder, stream, chunk);
    auto errors = Errors(events);
    REQUIRE(errors.size() == 1);
    CHECK(Contains(errors[0], "starting 'MSH|^~\\&|X\\x0DPID|1"));
    CHECK(Contains(errors[0], "without its start block"));
    CHECK(Messages(events) == std::vector<std::string>{"MSH|good"});
  }
}

TEST_CASE("a start block inside a frame discards the unterminated frame") {
  MllpDecoder decoder;
  const std::string stream = std::string("\x0bMSH|lost") + Frame("MSH|kept");
  auto events = decoder.Feed(stream);
  auto errors = Errors(events);
  REQUIRE(errors.size() == 1);
  CHECK(Contains(errors[0], "frame of 8 byte(s) has no end block"));
  CHECK(events[0].offset == 0);
  CHECK(Messages(events) == std::vector<std::string>{"MSH|kept"});
  CHECK(events[1].offset == 9);
}

TEST_CASE("an end block without CR discards the frame and what follows it up to the next") {
  for (const std::string& after : {std::string("X"), std::string("XYZ\x1c"), std::string()}) {
    CAPTURE(after);
    MllpDecoder decoder;
    const std::string stream = std::string("\x0bMSH|bad\x1c") + after + Frame("MSH|next");
    auto events = FeedAll(decoder, stream, 1);
    auto errors = Errors(events);
    REQUIRE(errors.size() == 1);
    CHECK(Contains(errors[0], "end block 0x1C is followed by"));
    CHECK(Contains(errors[0], "frame of 7 byte(s) discarded"));
    CHECK(Messages(events) == std::vector<std::string>{"MSH|next"});
  }
}

TEST_CASE("an oversized frame is refused without holding it in memory") {
  MllpDecoder decoder(10);
  const std::string big(25, 'A');
  const std::string stream = "\x0b" + big + "\x1c\r" + Frame("0123456789") + Frame("short");
  std::vector<MllpEvent> events;
  for (char c : stream) {
    for (auto& e : decoder.Feed(std::string_view(&c, 1))) events.push_back(std::move(e));
    CHECK(decoder.buffered_bytes() <= 10);
  }
  auto errors = Errors(events);
  REQUIRE(errors.size() == 1);
  CHECK(Contains(errors[0], "larger than the 10-byte limit"));
  CHECK(Messages(events) == std::vector<std::string>{"0123456789", "short"});

  // An oversized frame that never ends still lets the next start block through.
  MllpDecoder again(4);
  auto more = again.Feed(
      "\x0b"
      "ABCDEFGH" +
      Frame("ok"));
  CHECK(Errors(more).size() == 1);
  CHECK(Messages(more) == std::vector<std::string>{"ok"});
  CHECK(Messages(again.Feed(std::string("\x0b"
                                        "TOO LONG\x1c"
                                        "\x0b"
                                        "fine\x1c\r"))) == std::vector<std::string>{"fine"});
}

TEST_CASE("empty frames and a stream that ends mid-frame are errors") {
  MllpDecoder decoder;
  auto events = decoder.Feed(Frame("") + Frame("x"));
  auto errors = Errors(events);
  REQUIRE(errors.size() == 1);
  CHECK(Contains(errors[0], "empty MLLP frame"));
  CHECK(Messages(events) == std::vector<std::string>{"x"});

  CHECK(decoder
            .Feed("\x0b"
                  "MSH|partial")
            .empty());
  auto end = decoder.Finish();
  REQUIRE(end.size() == 1);
  CHECK(Contains(end[0].error.message(), "stream ended inside an MLLP frame: 11 byte(s)"));
  CHECK_FALSE(decoder.InFrame());
  CHECK(Messages(decoder.Feed(Frame("after"))) == std::vector<std::string>{"after"});
}

TEST_CASE("random streams: every good frame after garbage is delivered, whatever the chunks") {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::string stream;
    std::vector<std::string> expected;
    const int frames = 1 + static_cast<int>(rng() % 6);
    for (int f = 0; f < frames; ++f) {
      // Garbage without start blocks (it may hold end blocks and CRs).
      std::string junk(rng() % 20, '\0');
      for (char& c : junk) {
        c = static_cast<char>(rng() % 256);
        if (c == kMllpStartBlock) c = 'J';
      }
      stream += junk;
      std::string msg(1 + rng() % 50, '\0');
      for (char& c : msg) {
        c = static_cast<char>(rng() % 256);
        if (c == kMllpStartBlock || c == kMllpEndBlock) c = 'M';
      }
      stream += Frame(msg);
      expected.push_back(msg);
    }
    MllpDecoder decoder(64);
    std::vector<MllpEvent> events;
    std::size_t i = 0;
    while (i < stream.size()) {
      std::size_t n = 1 + rng() % 16;
      for (auto& e : decoder.Feed(std::string_view(stream).substr(i, n))) {
        events.push_back(std::move(e));
      }
      i += n;
    }
    CHECK(Messages(events) == expected);
  }
  // Pure noise, including start blocks: never crashes, never holds more than the limit.
  MllpDecoder noise(128);
  for (int i = 0; i < 20000; ++i) {
    char c = static_cast<char>(rng() % 256);
    (void)noise.Feed(std::string_view(&c, 1));
    CHECK(noise.buffered_bytes() <= 128);
  }
  (void)noise.Finish();
}

}  // namespace
}  // namespace hub::ers
