#pragma once
// CRC-32 (IEEE 802.3, the polynomial of zip and PNG), to detect damaged checkpoints: every
// single-byte change and every burst of up to 32 bits changes it.

#include <cstdint>
#include <string_view>

namespace flowscope {

/// CRC-32 of `bytes`, continuing from `crc` (0 for a fresh checksum).
uint32_t crc32(std::string_view bytes, uint32_t crc = 0);

}  // namespace flowscope
