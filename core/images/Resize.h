#pragma once
// Center crop to a square and resize to size x size, per channel plane, for image folders whose
// files come in any size. Filters by name, as the configuration spells them:
//   nearest   the source pixel under each output pixel's center;
//   bilinear  interpolation between the 4 nearest source centers (no antialiasing: aliased
//             when shrinking by more than 2x);
//   area      the average over the source area each output pixel covers, fractional pixels
//             weighted by overlap (box filter): the right one for downsampling, what
//             downsampled ImageNet used.

#include <string>

#include "core/images/Image.h"

namespace flowscope {

enum class ResizeFilter { Nearest, Bilinear, Area };

/// "nearest", "bilinear" or "area"; anything else is an InputError listing them.
ResizeFilter parseResizeFilter(const std::string& name);
const char* resizeFilterName(ResizeFilter filter);

/// The central min(H, W) square of `image` (the extra rows or columns split evenly, the odd one
/// at the bottom or right).
Image centerCropSquare(const Image& image);

/// `image` resized to `height` x `width` (>= 1) with `filter`; results rounded to nearest.
Image resizeImage(const Image& image, int64_t height, int64_t width, ResizeFilter filter);

/// centerCropSquare then resizeImage to size x size.
Image cropAndResize(const Image& image, int64_t size, ResizeFilter filter);

}  // namespace flowscope
