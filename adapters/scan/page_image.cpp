// Page images: PGM and PNG readers, pdftoppm rasterising, rotation and noise.
#include "adapters/scan/page_image.hpp"

#include <cairo.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <random>

extern char** environ;

namespace hub::scan {

namespace {

// Skips whitespace and '#' comments in a PNM header; false at the end of the bytes.
bool SkipSpace(std::string_view b, std::size_t* pos) {
  while (*pos < b.size()) {
    char c = b[*pos];
    if (c == '#') {
      while (*pos < b.size() && b[*pos] != '\n') ++*pos;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++*pos;
    } else {
      return true;
    }
  }
  return false;
}

bool ReadNumber(std::string_view b, std::size_t* pos, std::int64_t* out) {
  if (!SkipSpace(b, pos)) return false;
  std::int64_t v = 0;
  std::size_t start = *pos;
  while (*pos < b.size() && b[*pos] >= '0' && b[*pos] <= '9' && *pos - start < 9) {
    v = v * 10 + (b[*pos] - '0');
    ++*pos;
  }
  *out = v;
  return *pos > start;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<GrayImage> ParsePgm(std::string_view b) {
  if (b.size() < 2 || b[0] != 'P' || b[1] != '5') {
    return Status::InvalidArgument("not a binary PGM image (no P5 header)", "image");
  }
  std::size_t pos = 2;
  std::int64_t w = 0, h = 0, maxval = 0;
  if (!ReadNumber(b, &pos, &w) || !ReadNumber(b, &pos, &h) || !ReadNumber(b, &pos, &maxval)) {
    return Status::InvalidArgument("PGM header is incomplete", "image");
  }
  if (w <= 0 || h <= 0 || w * h > kMaxImagePixels) {
    return Status::InvalidArgument(fmt::format("PGM size {}x{} is not accepted", w, h), "image");
  }
  if (maxval != 255) {
    return Status::InvalidArgument(fmt::format("PGM maxval {} (only 255 is read)", maxval), "image");
  }
  ++pos;  // the single whitespace after maxval
  const auto n = static_cast<std::size_t>(w * h);
  if (b.size() < pos + n) return Status::InvalidArgument("PGM pixel data is truncated", "image");
  GrayImage img;
  img.width = static_cast<int>(w);
  img.height = static_cast<int>(h);
  img.pixels.assign(b.begin() + static_cast<std::ptrdiff_t>(pos),
                    b.begin() + static_cast<std::ptrdiff_t>(pos + n));
  return img;
}

std::string EncodePgm(const GrayImage& image) {
  std::string out = fmt::format("P5\n{} {}\n255\n", image.width, image.height);
  out.append(reinterpret_cast<const char*>(image.pixels.data()), image.pixels.size());
  return out;
}

Result<GrayImage> LoadPng(const std::string& path) {
  cairo_surface_t* s = cairo_image_surface_create_from_png(path.c_str());
  cairo_status_t st = cairo_surface_status(s);
  if (st != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return Status::InvalidArgument(
        fmt::format("{}: cannot read the PNG: {}", path, cairo_status_to_string(st)), "image");
  }
  cairo_surface_flush(s);
  const int w = cairo_image_surface_get_width(s);
  const int h = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const cairo_format_t format = cairo_image_surface_get_format(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  if (static_cast<std::int64_t>(w) * h > kMaxImagePixels || data == nullptr) {
    cairo_surface_destroy(s);
    return Status::InvalidArgument(fmt::format("{}: image size {}x{} is not accepted", path, w, h),
                                   "image");
  }
  GrayImage img;
  img.width = w;
  img.height = h;
  img.pixels.resize(static_cast<std::size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    const unsigned char* row = data + static_cast<std::ptrdiff_t>(y) * stride;
    for (int x = 0; x < w; ++x) {
      std::uint8_t v = 255;
      if (format == CAIRO_FORMAT_A8) {
        v = static_cast<std::uint8_t>(255 - row[x]);
      } else {
        std::uint32_t px;
        std::memcpy(&px, row + 4 * x, 4);
        // Premultiplied ARGB: transparent areas are white paper.
        const std::uint32_t a = px >> 24;
        const std::uint32_t r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, bl = px & 0xff;
        const std::uint32_t luma = (299 * r + 587 * g + 114 * bl) / 1000;
        v = format == CAIRO_FORMAT_RGB24 ? static_cast<std::uint8_t>(luma)
                                         : static_cast<std::uint8_t>(luma + (255 - a));
      }
      img.pixels[static_cast<std::size_t>(y) * w + x] = v;
    }
  }
  cairo_surface_destroy(s);
  return img;
}

Result<GrayImage> RasterizePdfPage(const std::string& pdf_path, int page, int dpi,
                                   int timeout_ms) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    return Status::IOError(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  }
  const std::string p = std::to_string(page), r = std::to_string(dpi);
  std::vector<std::string> args = {"pdftoppm", "-gray", "-r", r,   "-f",
                                   p,          "-l",    p,    "-q", pdf_path};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, "pdftoppm", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(out[1]);
  if (rc != 0) {
    ::close(out[0]);
    return Status::IOError(
        fmt::format("cannot run pdftoppm (poppler-utils) for {}: {}", pdf_path, std::strerror(rc)));
  }
  std::string bytes;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool timed_out = false;
  bool too_big = false;
  char buf[1 << 16];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{out[0], POLLIN, 0};
    int n = ::poll(&pfd, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      timed_out = n == 0;
      break;
    }
    ssize_t got = ::read(out[0], buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    bytes.append(buf, static_cast<std::size_t>(got));
    if (bytes.size() > static_cast<std::size_t>(kMaxImagePixels) + 64) {
      too_big = true;
      break;
    }
  }
  ::close(out[0]);
  if (timed_out || too_big) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return Status::DeadlineExceeded(
        fmt::format("{}: pdftoppm did not finish page {} in {} ms", pdf_path, page, timeout_ms));
  }
  if (too_big) {
    return Status::InvalidArgument(fmt::format("{}: page {} is too large", pdf_path, page), "image");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || bytes.empty()) {
    return Status::InvalidArgument(
        fmt::format("{}: pdftoppm cannot read page {} (not a PDF, damaged, or no such page)",
                    pdf_path, page),
        "image");
  }
  return ParsePgm(bytes);
}

Result<GrayImage> LoadFirstPage(const std::string& path, int dpi) {
  auto dot = path.rfind('.');
  std::string ext = dot == std::string::npos ? "" : Lower(path.substr(dot + 1));
  if (ext == "pdf") return RasterizePdfPage(path, 1, dpi);
  if (ext == "png") return LoadPng(path);
  if (ext == "pgm") {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return Status::IOError(fmt::format("cannot read {}", path));
    std::string bytes;
    char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
      bytes.append(buf, n);
      if (bytes.size() > static_cast<std::size_t>(kMaxImagePixels) + 64) break;
    }
    std::fclose(f);
    auto img = ParsePgm(bytes);
    if (!img.ok()) return Status::InvalidArgument(path + ": " + img.status().message(), "image");
    return img;
  }
  return Status::InvalidArgument(
      fmt::format("{}: a document must be a PDF, PNG or PGM file", path), "file");
}

GrayImage Rotate(const GrayImage& in, double degrees) {
  GrayImage out;
  out.width = in.width;
  out.height = in.height;
  out.pixels.assign(in.pixels.size(), 255);
  const double a = degrees * M_PI / 180.0;
  const double c = std::cos(a), s = std::sin(a);
  const double cx = (in.width - 1) / 2.0, cy = (in.height - 1) / 2.0;
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      // The source pixel that lands on (x, y) (inverse rotation; y grows downwards).
      const double dx = x - cx, dy = y - cy;
      const double sx = c * dx - s * dy + cx;
      const double sy = s * dx + c * dy + cy;
      const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
      if (x0 < 0 || y0 < 0 || x0 + 1 >= in.width || y0 + 1 >= in.height) continue;
      const double fx = sx - x0, fy = sy - y0;
      auto at = [&](int xx, int yy) { return in.pixels[static_cast<std::size_t>(yy) * in.width + xx]; };
      const double v = (1 - fx) * (1 - fy) * at(x0, y0) + fx * (1 - fy) * at(x0 + 1, y0) +
                       (1 - fx) * fy * at(x0, y0 + 1) + fx * fy * at(x0 + 1, y0 + 1);
      out.pixels[static_cast<std::size_t>(y) * out.width + x] =
          static_cast<std::uint8_t>(std::lround(v));
    }
  }
  return out;
}

GrayImage AddNoise(const GrayImage& in, int amplitude, double speckle, std::uint32_t seed) {
  GrayImage out = in;
  std::mt19937 rng(seed);
  std::normal_distribution<double> grain(0.0, amplitude / 2.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (auto& p : out.pixels) {
    if (speckle > 0 && unit(rng) < speckle) {
      p = unit(rng) < 0.5 ? 0 : 255;
      continue;
    }
    const double v = p + (amplitude > 0 ? grain(rng) : 0.0);
    p = static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
  }
  return out;
}

GrayImage Despeckle(const GrayImage& in) {
  GrayImage out = in;
  if (in.width < 3 || in.height < 3) return out;
  const int w = in.width;
  // Median of nine by a fixed exchange network (Paeth; 19 compare-exchanges).
  auto sort2 = [](std::uint8_t& a, std::uint8_t& b) {
    if (a > b) std::swap(a, b);
  };
  for (int y = 1; y + 1 < in.height; ++y) {
    const std::uint8_t* above = &in.pixels[static_cast<std::size_t>(y - 1) * w];
    const std::uint8_t* row = above + w;
    const std::uint8_t* below = row + w;
    std::uint8_t* dst = &out.pixels[static_cast<std::size_t>(y) * w];
    for (int x = 1; x + 1 < w; ++x) {
      std::uint8_t p[9] = {above[x - 1], above[x], above[x + 1], row[x - 1], row[x],
                           row[x + 1],   below[x - 1], below[x], below[x + 1]};
      sort2(p[1], p[2]); sort2(p[4], p[5]); sort2(p[7], p[8]);
      sort2(p[0], p[1]); sort2(p[3], p[4]); sort2(p[6], p[7]);
      sort2(p[1], p[2]); sort2(p[4], p[5]); sort2(p[7], p[8]);
      sort2(p[0], p[3]); sort2(p[5], p[8]); sort2(p[4], p[7]);
      sort2(p[3], p[6]); sort2(p[1], p[4]); sort2(p[2], p[5]);
      sort2(p[4], p[7]); sort2(p[4], p[2]); sort2(p[6], p[4]);
      sort2(p[4], p[2]);
      dst[x] = p[4];
    }
  }
  return out;
}

}  // namespace hub::scan
