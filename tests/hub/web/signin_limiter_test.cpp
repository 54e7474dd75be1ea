// Sign-in rate limiting with time passed in.
#include "hub/web/signin_limiter.hpp"

#include <doctest/doctest.h>

namespace hub::web {
namespace {

TEST_CASE("after max failures in the window, attempts wait until the oldest failure leaves it") {
  SigninLimiter limiter(3, 60'000);
  CHECK(limiter.RetryAfterMs("u", 0) == 0);
  limiter.RecordFailure("u", 0);
  limiter.RecordFailure("u", 10'000);
  CHECK(limiter.RetryAfterMs("u", 10'000) == 0);
  limiter.RecordFailure("u", 20'000);
  CHECK(limiter.RetryAfterMs("u", 20'000) == 40'000);
  CHECK(limiter.RetryAfterMs("other", 20'000) == 0);
  CHECK(limiter.RetryAfterMs("u", 59'999) == 1);
  CHECK(limiter.RetryAfterMs("u", 60'000) == 0);  // the first failure has left the window
}

TEST_CASE("a success clears the key; the number of keys is bounded") {
  SigninLimiter limiter(1, 1000, 2);
  limiter.RecordFailure("a", 0);
  CHECK(limiter.RetryAfterMs("a", 1) > 0);
  limiter.Clear("a");
  CHECK(limiter.RetryAfterMs("a", 1) == 0);
  limiter.RecordFailure("a", 0);
  limiter.RecordFailure("b", 5);
  limiter.RecordFailure("c", 10);  // forgets the stalest key, "a"
  CHECK(limiter.RetryAfterMs("a", 11) == 0);
  CHECK(limiter.RetryAfterMs("b", 11) > 0);
  CHECK(limiter.RetryAfterMs("c", 11) > 0);
}

}  // namespace
}  // namespace hub::web
