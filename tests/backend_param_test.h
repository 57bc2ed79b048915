// A test fixture parameterised by MILP backend name ("highs", "cbc"): skips
// (visibly) where that backend was not built in.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "milp/backend.h"

namespace diviml::testutil {

class BackendParamTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    bool built = false;
    for (const auto& b : milp::AvailableBackends()) built = built || b == GetParam();
    if (!built) GTEST_SKIP() << GetParam() << " not built in";
  }
};

}  // namespace diviml::testutil
