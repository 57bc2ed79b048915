// InputError: the one exception type for bad input. Its message is one line
// "FILE: problem (where)"; front ends print it and exit 1.
#pragma once

#include <stdexcept>

namespace diviml {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace diviml
