#pragma once
// A folder of PNG and JPEG files as an ImageSet: each image decoded, center-cropped to a square
// and resized to size x size, so photos of any shape make one N x C x size x size set. Labels
// come from the sub-folder names (torchvision's ImageFolder layout: root/cat/1.png) or are all
// 0. Everything is sorted by name (byte order), so the order, and a seeded run, is the same on
// every machine.

#include <string>
#include <string_view>

#include "core/images/Image.h"
#include "core/images/ImageSet.h"
#include "core/images/Resize.h"

namespace flowscope {

/// Decodes a PNG or JPEG (told apart by their signatures) to `channels` (1 or 3). Throws
/// FileError naming `name` for anything else or a corrupt file.
Image decodeImage(std::string_view bytes, const std::string& name, int channels, const ImageDecodeLimits& limits = {});

/// Reads every .png, .jpg and .jpeg file (any case; hidden files and symlinked sub-folders
/// below a class skipped) under `dir`.
/// classFromSubfolder: each sub-folder of `dir` is a class, labelled by its rank in name order,
/// and its images are those anywhere below it (files directly in `dir` are an error); else all
/// images anywhere below `dir` get label 0 (classes = 1). Throws FileError naming the file or
/// folder: no images, a class folder without images, an undecodable file.
ImageSet readImageFolder(const std::string& dir, int64_t size, ResizeFilter filter, bool classFromSubfolder,
                         int channels = 3, const ImageDecodeLimits& limits = {});

}  // namespace flowscope
