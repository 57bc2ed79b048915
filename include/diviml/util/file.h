// Whole-file reading and atomic writing (nothing half-written on failure).
#pragma once

#include <string>

#include "diviml/util/error.h"

namespace diviml {

// Reads a whole file; InputError naming it when it cannot be read (missing,
// a directory, a read error). O(file size).
std::string ReadFile(const std::string& path);

// Writes text to path atomically (temp file + rename); InputError naming the
// path on failure, and the temp file is removed. O(text size).
void WriteFileAtomic(const std::string& path, const std::string& text);

// The extension of path ("model.ONNX" -> ".onnx"), lower-cased; "" when none.
std::string LowerExtension(const std::string& path);

}  // namespace diviml
