// libFuzzer target: DecodeEnvelope and the body map reader must never crash, hang or leak on any
// bytes from the network (HOUSE_STYLE §9). Build with -DHUB_BUILD_FUZZ=ON and CXX=clang++, run:
//   build/fuzz/tests/fuzz/envelope_fuzz tests/fuzz/corpus/envelope -max_total_time=60
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hub/wire/envelope.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto env = hub::wire::DecodeEnvelope(bytes, 1 << 20);
  if (env.ok()) {
    (void)hub::schemas::DecodeErrorBody(env->body);
    std::string again = hub::wire::EncodeEnvelope(*env);
    auto round = hub::wire::DecodeEnvelope(again, 1 << 20);
    if (!round.ok() || !(*round == *env)) __builtin_trap();  // re-encoding must round-trip
  }
  return 0;
}
