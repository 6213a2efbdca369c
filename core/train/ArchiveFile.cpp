#include "core/train/ArchiveFile.h"

#include <filesystem>
#include <sstream>

#include "core/io/AtomicFile.h"
#include "core/io/ChecksumTrailer.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

std::string firstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

void saveArchiveFile(torch::serialize::OutputArchive& archive, const std::string& path,
                     const std::string& what) {
  std::ostringstream bytes;
  try {
    archive.save_to(bytes);
  } catch (const c10::Error& e) {
    throw FileError(path + ": cannot serialize the " + what + " (" + firstLine(e.what()) + ")");
  }
  std::string content = bytes.str();
  content += checksumTrailer(content);
  writeFileAtomic(path, content);
}

void loadArchiveFile(torch::serialize::InputArchive& archive, const std::string& path,
                     const std::string& what) {
  if (!std::filesystem::exists(path)) throw FileError(path + ": " + what + " file does not exist");
  const std::string bytes = readFileBytes(path);
  const TrailerCheck t = checkChecksumTrailer(bytes, path, what);
  if (!t.present)
    throw FileError(path + ": not a FlowScope " + what + " file (it lacks the checksum trailer FlowScope writes)");
  try {
    archive.load_from(bytes.data(), t.contentSize);
  } catch (const std::exception& e) {
    throw DamagedFileError(path + ": not a readable " + what + " file (" + firstLine(e.what()) + ")");
  }
}

}  // namespace flowscope
