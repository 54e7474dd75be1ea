// Page images for barcode decoding: 8-bit grey rasters read from the files a scanning bureau
// sends (PGM, PNG) or rasterised from a PDF by poppler's pdftoppm, plus the skew and noise a
// real scan has (used by the round-trip tests and the benchmark). No exceptions; every failure
// is a Status naming the file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hub/common/status.hpp"

namespace hub::scan {

// Row-major, one byte per pixel, 0 black ... 255 white.
struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};

// The largest image read (pixels): an A4 page at 600 dpi is about 35 million.
inline constexpr std::int64_t kMaxImagePixels = 64'000'000;

// Parses a binary PGM (P5, maxval 255, comments allowed), as `pdftoppm -gray` writes it.
Result<GrayImage> ParsePgm(std::string_view bytes);
// Reads a PNG (any colour type) with cairo and converts it to grey (Rec. 601 luma).
Result<GrayImage> LoadPng(const std::string& path);
// Rasterises page `page` (1-based) of a PDF at `dpi` with `pdftoppm -gray`; a pdftoppm that
// fails or runs longer than `timeout_ms` is an error naming the file.
Result<GrayImage> RasterizePdfPage(const std::string& pdf_path, int page, int dpi,
                                   int timeout_ms = 60'000);
// The first page of a document file, by its extension: .pdf, .png, .pgm (case-insensitive).
// InvalidArgument for any other kind of file.
Result<GrayImage> LoadFirstPage(const std::string& path, int dpi);
// A PGM (P5) of `image`.
std::string EncodePgm(const GrayImage& image);

// `image` turned by `degrees` (counter-clockwise) about its centre, same size, bilinear,
// uncovered corners white — a page fed into the scanner askew.
GrayImage Rotate(const GrayImage& image, double degrees);
// Adds scanner noise, deterministic for a `seed`: Gaussian-like grain of `amplitude` grey
// levels on every pixel and `speckle` (0..1) of the pixels flipped to black or white.
GrayImage AddNoise(const GrayImage& image, int amplitude, double speckle, std::uint32_t seed);

// A 3x3 median filter (edges copied): removes the isolated black and white pixels (speckle) a
// scanner adds, keeping edges of barcode modules two or more pixels wide. Used by the barcode
// reader when a page does not decode as scanned.
GrayImage Despeckle(const GrayImage& image);

}  // namespace hub::scan
