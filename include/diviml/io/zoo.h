// The bundled model zoo (zoo/models/*.onnx) and platform presets
// (zoo/platforms/*.platform.json). The zoo directory is $DIVIML_ZOO when
// set, else the source tree's zoo/.
#pragma once

#include <string>
#include <vector>

namespace diviml {

std::string ZooDir();
// Path of zoo/models/NAME.onnx; InputError listing the models when unknown.
std::string ZooModelPath(const std::string& name);
// Path of zoo/platforms/NAME.platform.json; InputError when unknown.
std::string ZooPlatformPath(const std::string& name);
std::vector<std::string> ZooModels();     // sorted names
std::vector<std::string> ZooPlatforms();  // sorted names

}  // namespace diviml
