// SVG helpers (src/export/svg.h).
#include "export/svg.h"

#include <cmath>

#include <fmt/format.h>

namespace diviml::svg {

std::string Escape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string Header(double width, double height) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" font-family=\"sans-serif\" "
      "font-size=\"11\">\n",
      width, height);
}

double NiceStep(double span) {
  double raw = span / 10, p = std::pow(10, std::floor(std::log10(raw)));
  for (double k : {1.0, 2.0, 5.0, 10.0})
    if (k * p >= raw) return k * p;
  return 10 * p;
}

}  // namespace diviml::svg
