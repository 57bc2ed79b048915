// The SVG pieces both Gantt charts share: one XML escaper, the document
// header and axis steps. Not a public header.
#pragma once

#include <string>

namespace diviml::svg {

// &, <, >, " escaped for text and attribute values. O(length).
std::string Escape(const std::string& text);
// The opening <svg ...> tag of a width x height document.
std::string Header(double width, double height);
// A round step (1, 2 or 5 times a power of ten) giving about ten ticks.
double NiceStep(double span);

}  // namespace diviml::svg
